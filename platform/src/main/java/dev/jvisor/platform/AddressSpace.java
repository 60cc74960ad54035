package dev.jvisor.platform;

/**
 * A host address space that app threads run in, populated only with ranges of the memory file.
 * Changes are applied before any of its threads next runs app code.
 */
public interface AddressSpace {
    /** Maps {@code len} bytes of the memory file at {@code fileOffset} to {@code addr} with PROT_* {@code prot}. */
    void map(long addr, long len, long fileOffset, int prot);

    void unmap(long addr, long len);

    void protect(long addr, long len, int prot);

    /** Whether CPUID executed by app code here traps (as a SIGSEGV fault) so the Sentry can emulate it. */
    boolean cpuidFaulting();

    /**
     * Applies queued mapping changes now, through {@code stopped}, a stopped thread of this address
     * space, so that no thread of it can reach memory that was unmapped or protected.
     */
    void flush(Context stopped);

    /** The first (main) thread of this address space. */
    Context mainContext();

    /** Kills the host side (every thread) and frees its resources. */
    void release();
}
