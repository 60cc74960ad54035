package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.container.ControlServer;
import dev.jvisor.cli.oci.Bundle;
import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.cli.oci.RootfsPaths;
import dev.jvisor.gofer.GoferProcess;
import dev.jvisor.kernel.ExecException;
import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.kernel.checkpoint.Restoring;
import dev.jvisor.kernel.checkpoint.Snapshots;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.state.SnapshotException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * Brings up a container in this process: the kernel built from the bundle (or resumed from a
 * snapshot), its control socket listening, its state published as created. The sandbox process of a
 * container does this, and so does a foreground `run` or `restore ID` itself (no second JVM to start).
 */
final class ContainerBoot {
    private final GlobalOptions global;
    private final CommandLine cmd;
    private final ContainerStore store;
    private final String id;

    ContainerBoot(GlobalOptions global, CommandLine cmd, ContainerStore store, String id) {
        this.global = global;
        this.cmd = cmd;
        this.store = store;
        this.id = id;
    }

    /** A container with its control server, published as created; {@code restoreFrom} null: a new one. */
    Booted boot(Bundle bundle, Path restoreFrom) {
        ContainerSandbox container = restoreFrom == null ? fresh(bundle) : restored(bundle, restoreFrom);
        ControlServer server;
        try {
            server = ControlServer.start(store.socket(id), container);
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
        container.publish();
        return new Booted(container, server);
    }

    /** A running container and its control server. */
    record Booted(ContainerSandbox container, ControlServer server) implements AutoCloseable {
        /** Blocks until the container has stopped, then stops serving once pending requests are answered. */
        void awaitStopped() throws InterruptedException {
            container.awaitStopped();
            server.close();
            server.awaitIdle(5000);
        }

        @Override
        public void close() {
            server.close();
            container.close();
        }
    }

    private ContainerSandbox fresh(Bundle b) {
        OciSpec.Process p = b.spec().process();
        String exe = RootfsPaths.resolveProgram(b.rootfs(), p.args().get(0), p.env(), p.cwd());
        ContainerProgram program = new ContainerProgram(exe, false, p);
        String cwd = p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd();
        Sandbox sb = Sandbox.create(global, cmd, b.hostname(id), b.rootfs(), ContainerFs.bindMounts(b.mountPlan()),
                (k, lower, binds) -> ContainerFs.build(k, lower, b.spec().root().readonly(), b.mountPlan(), binds));
        try {
            // Loaded now, as runsc create does: a program that cannot start fails `create`, not `start`.
            sb.runtime.createInit(program, cwd);
        } catch (ExecException e) {
            sb.close();
            throw new BundleException("cannot create container " + id + ": " + e.getMessage());
        }
        return new ContainerSandbox(store, sb, KernelRuntime::startCreatedInit, id, b);
    }

    private ContainerSandbox restored(Bundle b, Path restoreFrom) {
        Restoring restoring;
        CompletableFuture<GoferProcess> gofer = Sandbox.startRootGofer(b.rootfs());
        try {
            restoring = Snapshots.open(restoreFrom, () -> new HostCpuid().features(), Sandbox::memoryLost);
        } catch (SnapshotException e) {
            Sandbox.discard(gofer);
            throw new BundleException("cannot restore: " + e.getMessage());
        } catch (IOException e) {
            Sandbox.discard(gofer);
            throw new BundleException("cannot restore from " + restoreFrom + ": " + e.getMessage());
        }
        // The snapshot's root overlay reads the new bundle's rootfs (the lower layer is never in a snapshot).
        Sandbox sb = Sandbox.forRestored(restoring.kernel(), global, cmd, b.rootfs(), gofer);
        try {
            restoring.awaitMemory();
        } catch (IOException e) {
            sb.close();
            throw new BundleException("cannot restore: " + e.getMessage());
        }
        return new ContainerSandbox(store, sb, KernelRuntime::resumeRestored, id, b);
    }
}
