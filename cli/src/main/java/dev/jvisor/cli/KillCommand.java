package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `jvisor kill ID [SIGNAL]`: sends a signal (name or number, default SIGTERM) to the container's init. */
@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's init process.")
final class KillCommand extends ContainerCommand {
    @Option(names = {"--all", "-a"}, description = "Signal every process (today: init, the only one signals reach).")
    boolean all;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL")
    String signal = "TERM";

    @Override
    int run() {
        new ContainerControl(store()).kill(id, Signals.parse(signal));
        return 0;
    }
}
