package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `jvisor start ID`: runs a created container's program. */
@Command(name = "start", description = "Start a created container.")
final class StartCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() {
        new ContainerControl(store()).start(id);
        return 0;
    }
}
