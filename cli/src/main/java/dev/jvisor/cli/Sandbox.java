package dev.jvisor.cli;

import dev.jvisor.gofer.Export;
import dev.jvisor.gofer.GoferProcess;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.kernel.SandboxFailure;
import dev.jvisor.kernel.fs.gofer.BindMounts;
import dev.jvisor.kernel.fs.gofer.GoferFs;
import dev.jvisor.kernel.fs.overlay.LowerIdentityCheck;
import dev.jvisor.kernel.fs.overlay.PendingLowerFs;
import dev.jvisor.kernel.fs.gofer.GoferLowerFs;
import dev.jvisor.kernel.fs.overlay.LowerFs;
import dev.jvisor.kernel.vfs.MountNamespace;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.Platform;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.platform.ptrace.PtracePlatform;
import dev.jvisor.platform.systrap.SystrapPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Builds the host side of a sandbox (memory file, platform, runtime, and its one gofer, which serves
 * the root file system and every bind mount) for a new or restored kernel.
 */
final class Sandbox implements AutoCloseable {
    private static final String ROOT_EXPORT = "root";

    final MemoryFile memory;
    final Platform platform;
    final KernelRuntime runtime;
    /** Still starting after a restore with nothing to check through it (see {@link PendingLowerFs}). */
    private final CompletableFuture<GoferProcess> gofer;

    private Sandbox(MemoryFile memory, Platform platform, KernelRuntime runtime, GoferProcess gofer) {
        this(memory, platform, runtime, CompletableFuture.completedFuture(gofer));
    }

    private Sandbox(MemoryFile memory, Platform platform, KernelRuntime runtime, CompletableFuture<GoferProcess> gofer) {
        this.memory = memory;
        this.platform = platform;
        this.runtime = runtime;
        this.gofer = gofer;
    }

    /** How a container's mount tree is built over its root file system's lower layer. */
    @FunctionalInterface
    interface MountBuilder {
        MountNamespace build(Kernel k, LowerFs rootfs, BindMountSetup binds);
    }

    /**
     * The gofer: host directory {@code root} read-only as the sandbox's root, and {@code more}
     * (bind mounts). It is the only process that opens host files.
     */
    private static GoferProcess startGofer(Path root, List<Export> more) {
        List<Export> exports = new ArrayList<>();
        exports.add(new Export(ROOT_EXPORT, root, true));
        exports.addAll(more);
        try {
            return GoferProcess.start(exports);
        } catch (IOException e) {
            throw new SandboxFailure("cannot start the gofer: " + e.getMessage());
        }
    }

    static Platform platform(String name, MemoryFile memory, CommandLine cmd) {
        return switch (name) {
            case "systrap" -> new SystrapPlatform(memory);
            case "ptrace" -> new PtracePlatform(memory);
            default -> throw new ParameterException(cmd, "unknown platform '" + name + "' (expected systrap or ptrace)");
        };
    }

    /** A new kernel for `jvisor do`: the host's root under an overlay, and {@code binds} mounted over it. */
    static Sandbox create(GlobalOptions g, CommandLine cmd, List<BindMount> binds) {
        return create(g, cmd, "jvisor", Path.of("/"), binds, (k, lower, b) -> {
            MountNamespace ns = RootFs.build(k, lower);
            b.mountAll(ns);
            return ns;
        });
    }

    /**
     * A new kernel reporting {@code hostname}: the gofer serves host directory {@code rootfs}
     * (read-only) and each of {@code binds}, and {@code mounts} builds the mount tree over them.
     */
    static Sandbox create(GlobalOptions g, CommandLine cmd, String hostname, Path rootfs, List<BindMount> binds,
            MountBuilder mounts) {
        MemoryFile memory = MemoryFile.create(g.memoryCapacity());
        HostCpuid cpuid = new HostCpuid();
        Kernel kernel = new Kernel(memory, cpuid.features(), hostname);
        Platform platform = platform(g.platform, memory, cmd);
        BindMountSetup setup = new BindMountSetup(binds);
        GoferProcess gofer = startGofer(rootfs, setup.exports());
        try {
            Consumer<String> log = goferLog();
            setup.connect(kernel, gofer.client(), log);
            kernel.setMounts(mounts.build(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, log), setup));
        } catch (RuntimeException e) {
            gofer.close();
            throw e;
        }
        return new Sandbox(memory, platform, new KernelRuntime(kernel, platform, cpuid,
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    /** The host side for a kernel just loaded from a snapshot of `jvisor do` (root: the host's). */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd) {
        return forRestored(kernel, g, cmd, Path.of("/"));
    }

    /**
     * The host side for a kernel just loaded from a snapshot (its memory file already attached), with
     * the root file system read from {@code rootfs}: one gofer serves it and every bind mount the
     * snapshot records (from the host path recorded), each mount is attached to it, and the restore is
     * refused, before any app code runs, if a bind source is gone or a host file the app holds changed.
     */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd, Path rootfs) {
        return forRestored(kernel, g, cmd, rootfs, null);
    }

    /**
     * Starts, in the background, a gofer serving {@code rootfs} alone, for {@link #forRestored(Kernel,
     * GlobalOptions, CommandLine, Path, CompletableFuture)} to use if the snapshot has no bind mounts
     * (most have none): its start-up (a JVM) then overlaps the loading of the kernel graph.
     */
    static CompletableFuture<GoferProcess> startRootGofer(Path rootfs) {
        return CompletableFuture.supplyAsync(() -> startGofer(rootfs, List.of()));
    }

    /** Stops a gofer started by {@link #startRootGofer} that will not be used. */
    static void discard(CompletableFuture<GoferProcess> early) {
        if (early != null) {
            early.thenAccept(GoferProcess::close);
        }
    }

    /** Like {@link #forRestored(Kernel, GlobalOptions, CommandLine, Path)}, with a root gofer maybe already starting. */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd, Path rootfs,
            CompletableFuture<GoferProcess> early) {
        Platform platform = platform(g.platform, kernel.memory(), cmd);
        List<GoferFs> binds = BindMounts.of(kernel);
        List<Export> exports = new ArrayList<>();
        for (GoferFs b : binds) {
            Path source = Path.of(b.hostSource());
            if (!Files.exists(source)) {
                throw new SandboxFailure("cannot restore: the source of the bind mount on " + b.destination() + ", "
                        + source + ", no longer exists");
            }
            exports.add(new Export(b.exportName(), source, b.readOnly()));
        }
        if (binds.isEmpty() && early != null && !LowerIdentityCheck.holdsAny(kernel) && Files.isDirectory(rootfs)) {
            // Nothing to check through the gofer before the app runs: it resumes while the gofer starts.
            Consumer<String> log = goferLog();
            RootFs.attachLower(kernel, new PendingLowerFs(() -> new GoferLowerFs(early.join().client(), ROOT_EXPORT, log), log));
            return new Sandbox(kernel.memory(), platform, new KernelRuntime(kernel, platform, new HostCpuid(),
                    new KernelRuntime.Options(g.strace, System.err)), early);
        }
        GoferProcess gofer;
        if (binds.isEmpty() && early != null) {
            try {
                gofer = early.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        } else {
            discard(early);
            gofer = startGofer(rootfs, exports);
        }
        try {
            Consumer<String> log = goferLog();
            RootFs.attachLower(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, log));
            for (GoferFs b : binds) {
                b.attach(gofer.client(), log);
            }
            Set<String> problems = BindMounts.problems(kernel);
            if (!problems.isEmpty()) {
                throw new SandboxFailure("cannot restore: " + String.join("; ", problems));
            }
        } catch (RuntimeException e) {
            gofer.close();
            throw e;
        }
        return new Sandbox(kernel.memory(), platform, new KernelRuntime(kernel, platform, new HostCpuid(),
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    /**
     * A restored sandbox whose memory cannot be loaded after all (its image changed on disk after it
     * was verified) cannot go on: one line, and the sandbox process ends at once.
     */
    static void memoryLost(String problem) {
        System.err.println("jvisor: " + problem);
        Runtime.getRuntime().halt(Main.EXIT_SANDBOX_ERROR);
    }

    /** Where the gofer's failure is reported: once per sandbox, however many mounts notice it. */
    private static Consumer<String> goferLog() {
        boolean[] said = {false};
        return line -> {
            synchronized (said) {
                if (said[0]) {
                    return;
                }
                said[0] = true;
            }
            System.err.println("jvisor: " + line);
        };
    }

    @Override
    public void close() {
        runtime.destroy();
        platform.close();
        memory.close();
        discard(gofer);
    }
}
