package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `jvisor delete [--force] ID`: removes a created or stopped container (a running one only with --force). */
@Command(name = "delete", description = "Delete a container; --force kills it first if it is running.")
final class DeleteCommand extends ContainerCommand {
    @Option(names = {"--force", "-f"}, description = "Kill the container if it is running.")
    boolean force;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        new ContainerControl(store()).delete(id, force);
        return 0;
    }
}
