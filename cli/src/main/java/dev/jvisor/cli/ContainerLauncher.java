package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ContainerId;
import dev.jvisor.cli.container.ContainerState;
import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.container.SandboxLauncher;
import dev.jvisor.cli.oci.Bundle;
import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.cli.oci.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The caller's half of `create` (and of a detached `run` or `restore ID`): checks the bundle, claims
 * the ID, starts the sandbox process and waits until it has published the container as created. A
 * foreground `run` or `restore ID` is the sandbox itself ({@link #runHere}). The sandbox
 * reports its own failures on the stdio it shares with us, so a sandbox that dies here only passes
 * its exit code on.
 */
final class ContainerLauncher {
    /** How long a sandbox may take to build its kernel (a cold JVM on a loaded machine is slow). */
    private static final long READY_TIMEOUT_MS = 120_000;

    private final Main main;
    private final ContainerStore store;

    ContainerLauncher(Main main) {
        this.main = main;
        this.store = main.containers.store();
    }

    /**
     * Creates container {@code id} from {@code bundleDir}, resuming {@code restoreFrom} if not null.
     * Returns 0, or the exit code of a sandbox that failed (it has said why).
     */
    int create(String id, Path bundleDir, Path pidFile, Path restoreFrom) throws IOException, InterruptedException {
        Bundle bundle = checked(id, bundleDir, restoreFrom);
        store.reserve(id);
        Process sandbox;
        try {
            sandbox = SandboxLauncher.launch(sandboxArgs(id, bundle, restoreFrom));
        } catch (IOException | RuntimeException e) {
            store.remove(id);
            throw new BundleException("cannot start the sandbox process: " + e.getMessage());
        }
        int failed = awaitCreated(id, sandbox);
        if (failed != 0) {
            store.remove(id);
            return failed;
        }
        if (pidFile != null) {
            writePidFile(pidFile, sandbox.pid());
        }
        return 0;
    }

    /**
     * A foreground `run` or `restore ID`: this process is the container's sandbox (one JVM start
     * fewer than a sandbox process of its own; the container ends with this command anyway). Starts
     * it, passes SIGINT, SIGTERM and SIGHUP on to init, waits for it to stop, deletes it and returns
     * its exit status. Other commands reach it through its control socket as usual.
     */
    int runHere(CommandLine cmd, String id, Path bundleDir, Path pidFile, Path restoreFrom)
            throws IOException, InterruptedException {
        Bundle bundle = checked(id, bundleDir, restoreFrom);
        store.reserve(id);
        try (ContainerBoot.Booted booted = new ContainerBoot(main.global, cmd, store, id).boot(bundle, restoreFrom)) {
            if (pidFile != null) {
                writePidFile(pidFile, ProcessHandle.current().pid());
            }
            ContainerControl control = new ContainerControl(store);
            control.start(id);
            ForegroundContainer.forwardSignals(control, id, null);
            int status = control.await(id);
            booted.awaitStopped();
            return status;
        } finally {
            store.remove(id);
        }
    }

    /** Checks the ID and the bundle (and the snapshot directory) before anything starts. */
    private Bundle checked(String id, Path bundleDir, Path restoreFrom) {
        ContainerId.check(id);
        Bundle bundle = Bundle.load(bundleDir);
        if (restoreFrom == null) {
            OciSpec.Process p = bundle.spec().process();
            try {
                RootfsPaths.resolveProgram(bundle.rootfs(), p.args().get(0), p.env(), p.cwd());
                ContainerFs.bindMounts(bundle.mountPlan());
            } catch (BundleException e) {
                throw new BundleException("cannot create container " + id + ": " + e.getMessage(), e.exitCode());
            }
        } else if (!Files.isDirectory(restoreFrom)) {
            throw new BundleException("cannot restore: " + restoreFrom + ": no such directory");
        }
        return bundle;
    }

    private List<String> sandboxArgs(String id, Bundle bundle, Path restoreFrom) {
        List<String> a = new ArrayList<>(List.of("--root", store.root().toString(), "--platform", main.global.platform));
        if (main.global.strace) {
            a.add("--strace");
        }
        a.addAll(List.of("sandbox", "--bundle", bundle.dir().toString()));
        if (restoreFrom != null) {
            a.addAll(List.of("--restore-from", restoreFrom.toAbsolutePath().normalize().toString()));
        }
        a.add(id);
        return a;
    }

    /**
     * Waits for state.json, which the sandbox writes once its control socket listens; returns 0, or
     * the sandbox's exit code if it died first.
     */
    private int awaitCreated(String id, Process sandbox) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true) {
            Optional<ContainerState> s = store.read(id);
            if (s.isPresent()) {
                return 0;
            }
            if (!sandbox.isAlive()) {
                int code = sandbox.exitValue();
                return code != 0 ? code : Main.EXIT_SANDBOX_ERROR;
            }
            if (System.currentTimeMillis() > deadline) {
                sandbox.destroyForcibly();
                throw new BundleException("the sandbox of container " + id + " did not start within "
                        + READY_TIMEOUT_MS / 1000 + "s");
            }
            Thread.sleep(10);
        }
    }

    /** Written aside and renamed, so a reader never sees an empty pid file. */
    private static void writePidFile(Path pidFile, long pid) throws IOException {
        Path abs = pidFile.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(pid));
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
