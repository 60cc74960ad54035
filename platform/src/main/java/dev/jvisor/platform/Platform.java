package dev.jvisor.platform;

/**
 * How app code is run on this host: systrap (default) or ptrace. The kernel sees only this
 * interface, so it can switch platforms and restore a snapshot onto either.
 */
public interface Platform extends AutoCloseable {
    String name();

    /** A new, empty address space with one thread ready to run. */
    AddressSpace newAddressSpace();

    /** The highest address (exclusive) apps may use: the stub lives above it. */
    default long maxUserAddress() {
        return StubBinary.STUB_BASE;
    }

    @Override
    void close();
}
