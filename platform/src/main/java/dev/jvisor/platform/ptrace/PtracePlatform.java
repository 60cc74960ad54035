package dev.jvisor.platform.ptrace;

import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.Platform;
import dev.jvisor.platform.host.StubLauncher;

/**
 * The ptrace platform (DESIGN.md §3): app code runs in the same stub processes as with systrap, but
 * without a seccomp filter or signal handlers. The task's Java thread traces the stub thread with
 * PTRACE_SYSEMU, so every syscall, fault and signal stops it; mapping changes are made by injecting
 * mmap/munmap/mprotect calls at the stub's "syscall; int3" site. Much slower than systrap (two host
 * context switches and several ptrace calls per stop), but simple, and a cross-check for it in tests.
 *
 * <p>Each address space has one thread; its context must be driven by a single Java thread (the one
 * that first runs it), and the stub is killed if that thread ends (PTRACE_O_EXITKILL).
 */
public final class PtracePlatform implements Platform {
    private final MemoryFile memory;
    private final StubLauncher launcher = new StubLauncher();

    public PtracePlatform(MemoryFile memory) {
        this.memory = memory;
    }

    @Override
    public String name() {
        return "ptrace";
    }

    @Override
    public AddressSpace newAddressSpace() {
        return new PtraceAddressSpace(launcher, memory);
    }

    @Override
    public void close() {
        launcher.close();
    }
}
