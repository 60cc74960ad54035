package dev.jvisor.platform.systrap;

import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.Platform;
import dev.jvisor.platform.host.StubLauncher;

/**
 * The default platform (DESIGN.md §3): app code runs in stub processes under a seccomp filter that
 * turns every app syscall into a SIGSYS handled by the stub, which hands it to the Sentry through
 * shared memory.
 */
public final class SystrapPlatform implements Platform {
    private final MemoryFile memory;
    private final StubLauncher launcher = new StubLauncher();

    public SystrapPlatform(MemoryFile memory) {
        this.memory = memory;
    }

    @Override
    public String name() {
        return "systrap";
    }

    @Override
    public AddressSpace newAddressSpace() {
        return new SystrapAddressSpace(launcher, memory);
    }

    @Override
    public void close() {
        launcher.close();
    }
}
