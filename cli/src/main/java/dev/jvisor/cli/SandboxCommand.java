package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.container.ControlServer;
import dev.jvisor.cli.oci.Bundle;
import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.cli.oci.RootfsPaths;
import dev.jvisor.gofer.GoferProcess;
import dev.jvisor.kernel.ExecException;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.kernel.checkpoint.Restoring;
import dev.jvisor.kernel.checkpoint.Snapshots;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.platform.host.Libc;
import dev.jvisor.state.SnapshotException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The sandbox process of one container (internal; `create`, `run` and `restore` start it in a JVM of
 * its own): builds the kernel, serves the control socket, and exits once the container has stopped
 * and every pending request has been answered.
 */
@Command(name = "sandbox", hidden = true, description = "Internal: the sandbox process of a container.")
final class SandboxCommand extends ContainerCommand {
    private static final int SYS_SETSID = 112;

    @Option(names = "--bundle", required = true, paramLabel = "DIR")
    Path bundleDir;

    @Option(names = "--restore-from", paramLabel = "DIR", description = "Resume this snapshot instead of starting config.json's process.")
    Path restoreFrom;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        // A session of its own: the terminal's Ctrl-C and hang-up go to the foreground jvisor command,
        // which forwards them to the container, rather than killing the sandbox behind its back.
        Libc.syscall(SYS_SETSID, 0, 0, 0, 0, 0, 0);
        ContainerStore store = store();
        Bundle bundle = Bundle.load(bundleDir);
        try (ContainerSandbox container = restoreFrom == null ? fresh(store, bundle) : restored(store, bundle);
                ControlServer server = ControlServer.start(store.socket(id), container)) {
            container.publish();
            container.awaitStopped();
            server.close();
            server.awaitIdle(5000);
        }
        return 0;
    }

    private ContainerSandbox fresh(ContainerStore store, Bundle b) {
        OciSpec.Process p = b.spec().process();
        String exe = RootfsPaths.resolveProgram(b.rootfs(), p.args().get(0), p.env(), p.cwd());
        ContainerProgram program = new ContainerProgram(exe, false, p);
        String cwd = p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd();
        Sandbox sb = Sandbox.create(main.global, spec.commandLine(), b.hostname(id), b.rootfs(),
                ContainerFs.bindMounts(b.mountPlan()),
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

    private ContainerSandbox restored(ContainerStore store, Bundle b) {
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
        Sandbox sb = Sandbox.forRestored(restoring.kernel(), main.global, spec.commandLine(), b.rootfs(), gofer);
        try {
            restoring.awaitMemory();
        } catch (IOException e) {
            sb.close();
            throw new BundleException("cannot restore: " + e.getMessage());
        }
        return new ContainerSandbox(store, sb, KernelRuntime::resumeRestored, id, b);
    }
}
