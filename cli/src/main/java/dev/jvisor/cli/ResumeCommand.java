package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `jvisor resume ID`: lets the processes of a paused container run again. */
@Command(name = "resume", description = "Let the processes of a paused container run again.")
final class ResumeCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() {
        new ContainerControl(store()).resume(id);
        return 0;
    }
}
