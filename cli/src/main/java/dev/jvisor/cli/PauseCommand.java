package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `jvisor pause ID`: freezes every process of a running container, as runsc pause does. */
@Command(name = "pause", description = "Freeze every process of a running container.")
final class PauseCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() {
        new ContainerControl(store()).pause(id);
        return 0;
    }
}
