package dev.jvisor.cli;

import dev.jvisor.kernel.Kernel;
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
    final MemoryFile memory;
    final Platform platform;
    final KernelRuntime runtime;

    private Sandbox(MemoryFile memory, Platform platform, KernelRuntime runtime) {
        this.memory = memory;
        this.platform = platform;
        this.runtime = runtime;
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
        MemoryFile memory = MemoryFile.create(MemoryFile.DEFAULT_CAPACITY);
        HostCpuid cpuid = new HostCpuid();
        Kernel kernel = new Kernel(memory, cpuid.features(), "jvisor");
        kernel.setMounts(RootFs.build(kernel, new DirectHostLower(java.nio.file.Path.of("/"))));
        Platform platform = platform(g.platform, memory, cmd);
        return new Sandbox(memory, platform, new KernelRuntime(kernel, platform, cpuid,
                new KernelRuntime.Options(g.strace, System.err)));
    }

    /** The host side for a kernel just loaded from a snapshot (its memory file already attached). */
    static Sandbox forRestored(Kernel kernel, GlobalOptions g, CommandLine cmd) {
        RootFs.attachLower(kernel, new DirectHostLower(java.nio.file.Path.of("/")));
        Platform platform = platform(g.platform, kernel.memory(), cmd);
        return new Sandbox(kernel.memory(), platform, new KernelRuntime(kernel, platform, new HostCpuid(),
                new KernelRuntime.Options(g.strace, System.err)));
    }

    @Override
    public void close() {
        runtime.destroy();
        platform.close();
        memory.close();
    }
}
