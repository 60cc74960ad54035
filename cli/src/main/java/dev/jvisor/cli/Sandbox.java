package dev.jvisor.cli;

import dev.jvisor.gofer.Export;
import dev.jvisor.gofer.GoferProcess;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.SandboxFailure;
import dev.jvisor.kernel.fs.overlay.GoferLowerFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.Platform;
import dev.jvisor.platform.cpu.HostCpuid;
import dev.jvisor.platform.systrap.SystrapPlatform;
import dev.jvisor.platform.ptrace.PtracePlatform;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/** Builds the host side of a sandbox (memory file, platform, runtime) for a new or restored kernel. */
final class Sandbox implements AutoCloseable {
    private static final String ROOT_EXPORT = "root";

    final MemoryFile memory;
    final Platform platform;
    final KernelRuntime runtime;
    private final GoferProcess gofer;

    private Sandbox(MemoryFile memory, Platform platform, KernelRuntime runtime, GoferProcess gofer) {
        this.memory = memory;
        this.platform = platform;
        this.runtime = runtime;
        this.gofer = gofer;
    }

    /** The gofer serving the host's root read-only: the only process that opens host files. */
    private static GoferProcess startGofer() {
        try {
            return GoferProcess.start(List.of(new Export(ROOT_EXPORT, Path.of("/"), true)));
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

    /** A new kernel with an empty memory file. */
    static Sandbox create(GlobalOptions g, CommandLine cmd) {
        MemoryFile memory = MemoryFile.create(g.memoryCapacity());
        HostCpuid cpuid = new HostCpuid();
        Kernel kernel = new Kernel(memory, cpuid.features(), "jvisor");
        Platform platform = platform(g.platform, memory, cmd);
        GoferProcess gofer = startGofer();
        kernel.setMounts(RootFs.build(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, Sandbox::logLine)));
        return new Sandbox(memory, platform, new KernelRuntime(kernel, platform, cpuid,
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    /**
     * A container's kernel, reporting {@code hostname}: the gofer serves host directory {@code rootfs}
     * (read-only) and {@code mounts} builds the mount tree over it (root overlay, /dev, tmpfs...).
     */
    static Sandbox create(GlobalOptions g, CommandLine cmd, String hostname, Path rootfs,
            java.util.function.BiFunction<Kernel, dev.jvisor.kernel.fs.overlay.LowerFs, dev.jvisor.kernel.vfs.MountNamespace> mounts) {
        MemoryFile memory = MemoryFile.create(g.memoryCapacity());
        HostCpuid cpuid = new HostCpuid();
        Kernel kernel = new Kernel(memory, cpuid.features(), hostname);
        Platform platform = platform(g.platform, memory, cmd);
        GoferProcess gofer = startGofer(rootfs);
        kernel.setMounts(mounts.apply(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, Sandbox::logLine)));
        return new Sandbox(memory, platform, new KernelRuntime(kernel, platform, cpuid,
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    /** Like {@link #forRestored(Kernel, GlobalOptions, CommandLine)}, with the root file system read from {@code rootfs}. */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd, Path rootfs) {
        Platform platform = platform(g.platform, kernel.memory(), cmd);
        GoferProcess gofer = startGofer(rootfs);
        RootFs.attachLower(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, Sandbox::logLine));
        return new Sandbox(kernel.memory(), platform, new KernelRuntime(kernel, platform, new HostCpuid(),
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    /** A gofer serving host directory {@code root} read-only as the sandbox's root. */
    private static GoferProcess startGofer(Path root) {
        try {
            return GoferProcess.start(List.of(new Export(ROOT_EXPORT, root, true)));
        } catch (IOException e) {
            throw new SandboxFailure("cannot start the gofer: " + e.getMessage());
        }
    }

    /** The host side for a kernel just loaded from a snapshot (its memory file already attached). */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd) {
        Platform platform = platform(g.platform, kernel.memory(), cmd);
        GoferProcess gofer = startGofer();
        RootFs.attachLower(kernel, new GoferLowerFs(gofer.client(), ROOT_EXPORT, Sandbox::logLine));
        return new Sandbox(kernel.memory(), platform, new KernelRuntime(kernel, platform, new HostCpuid(),
                new KernelRuntime.Options(g.strace, System.err)), gofer);
    }

    private static void logLine(String line) {
        System.err.println("jvisor: " + line);
    }

    @Override
    public void close() {
        runtime.destroy();
        platform.close();
        memory.close();
        gofer.close();
    }
}
