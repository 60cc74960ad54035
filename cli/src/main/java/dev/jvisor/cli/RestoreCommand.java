package dev.jvisor.cli;

import dev.jvisor.gofer.GoferProcess;
import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.checkpoint.Restoring;
import dev.jvisor.kernel.checkpoint.Snapshots;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.state.SnapshotException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * `jvisor restore --image-path DIR`: resumes a snapshot in this process and waits for its init to exit.
 * With a container ID (runsc-style, `restore --image-path DIR --bundle DIR [--detach] ID`) the snapshot
 * becomes a new container with its own sandbox process instead ({@link ContainerRestore}).
 */
@Command(name = "restore", description = "Restore a snapshot and run it to completion; exits with the app's exit code.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--image-path", required = true, paramLabel = "DIR", description = "The snapshot directory.")
    Path imagePath;

    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", description = "With ID: the container's bundle (default: the current directory).")
    Path bundle;

    @Option(names = {"--detach", "-d"}, description = "With ID: return once the container runs.")
    boolean detach;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "With ID: write the sandbox process's pid here.")
    Path pidFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Restore into a new container with this ID.")
    String id;

    private long restoreStart;

    @Override
    public Integer call() throws Exception {
        if (id != null) {
            return ContainerRestore.run(main, spec.commandLine(), id, imagePath, bundle, detach, pidFile);
        }
        if (bundle != null || detach || pidFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bundle, --detach and --pid-file need a container ID");
        }
        Restoring restoring;
        restoreStart = System.nanoTime();
        CompletableFuture<GoferProcess> gofer = Sandbox.startRootGofer(Path.of("/"));
        try {
            restoring = Snapshots.open(imagePath, () -> new HostCpuid().features(), Sandbox::memoryLost);
        } catch (SnapshotException e) {
            Sandbox.discard(gofer);
            return refused(e);
        } catch (IOException | RuntimeException e) {
            Sandbox.discard(gofer);
            throw e;
        }
        Kernel kernel = restoring.kernel();
        try (Sandbox sb = Sandbox.forRestored(kernel, main.global, spec.commandLine(), Path.of("/"), gofer)) {
            try {
                restoring.awaitMemory();
            } catch (SnapshotException e) {
                return refused(e);
            }
            sb.runtime.resumeRestored();
            Stats.restore(kernel, System.nanoTime() - restoreStart);
            SignalForwarder.install(sb.runtime);
            ExitStatus status = sb.runtime.awaitExit();
            return status.shellCode();
        }
    }

    private int refused(SnapshotException e) {
        spec.commandLine().getErr().println("jvisor: cannot restore: " + e.getMessage());
        return Main.EXIT_SANDBOX_ERROR;
    }
}
