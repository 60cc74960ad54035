package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `jvisor kill [--all | --pid N] ID [SIGNAL]`: sends a signal (name or number, default SIGTERM) to the
 * container's init, to every process in it, or to one of them (sandbox pid), as runsc kill does.
 */
@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's init, to all its processes, or to one.")
final class KillCommand extends ContainerCommand {
    @Option(names = {"--all", "-a"}, description = "Signal every process in the container.")
    boolean all;

    @Option(names = "--pid", paramLabel = "N", description = "Signal the process with sandbox pid N instead of init.")
    Integer pid;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL")
    String signal = "TERM";

    @Override
    int run() {
        if (all && pid != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--all and --pid cannot be combined");
        }
        new ContainerControl(store()).kill(id, Signals.parse(signal), all, pid);
        return 0;
    }
}
