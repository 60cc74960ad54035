package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `jvisor checkpoint --image-path DIR [--leave-running] [--compression zstd|none] ID`: the sandbox
 * freezes the container and writes a snapshot; without --leave-running the container then stops.
 */
@Command(name = "checkpoint", description = "Checkpoint a running container into --image-path.")
final class CheckpointCommand extends ContainerCommand {
    @Option(names = "--image-path", required = true, paramLabel = "DIR", description = "The snapshot directory.")
    Path imagePath;

    @Option(names = "--leave-running", description = "Keep the container running after the checkpoint.")
    boolean leaveRunning;

    @Option(names = "--compression", paramLabel = "zstd|none", description = "Page compression (default zstd).")
    String compression = "zstd";

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() {
        CheckpointTrigger.pageOptions(spec.commandLine(), compression); // reject a bad value here, not in the sandbox
        new ContainerControl(store()).checkpoint(id, imagePath, leaveRunning, compression);
        return 0;
    }
}
