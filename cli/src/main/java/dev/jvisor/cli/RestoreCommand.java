package dev.jvisor.cli;

import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.checkpoint.Snapshots;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.state.SnapshotException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `jvisor restore --image-path DIR`: resumes a snapshot and waits for its init to exit. */
@Command(name = "restore", description = "Restore a snapshot and run it to completion; exits with the app's exit code.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--image-path", required = true, paramLabel = "DIR", description = "The snapshot directory.")
    Path imagePath;

    @Override
    public Integer call() throws Exception {
        Kernel kernel;
        try {
            kernel = Snapshots.load(imagePath, new HostCpuid().features());
        } catch (SnapshotException e) {
            spec.commandLine().getErr().println("jvisor: cannot restore: " + e.getMessage());
            return Main.EXIT_SANDBOX_ERROR;
        }
        try (Sandbox sb = Sandbox.forRestored(kernel, main.global, spec.commandLine())) {
            sb.runtime.resumeRestored();
            ExitStatus status = sb.runtime.awaitExit();
            return status.shellCode();
        }
    }
}
