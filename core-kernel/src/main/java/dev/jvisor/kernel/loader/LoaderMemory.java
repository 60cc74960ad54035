package dev.jvisor.kernel.loader;

/**
 * What the loader needs from the address space it loads into (implemented by the kernel's
 * MemoryManager). Addresses and lengths are page aligned (4096).
 */
public interface LoaderMemory {
    /**
     * Creates an anonymous private zero-filled mapping at exactly {@code [addr, addr+len)}, replacing
     * nothing; {@code prot} is PROT_* bits. {@code name} is for /proc/pid/maps: "[stack]", the file
     * path for file-backed segments, or "" for anonymous memory (bss pages). If the range is not free
     * the implementation throws, preferably {@link LoaderException} with EEXIST (Linux's
     * MAP_FIXED_NOREPLACE error) or ENOMEM.
     */
    void mapFixed(long addr, long len, int prot, String name) throws LoaderException;

    /** Writes bytes into app memory regardless of protections (a kernel write). */
    void write(long addr, byte[] src, int off, int len);

    /**
     * Picks a free page-aligned range of {@code len} bytes for a PIE image or the interpreter,
     * top-down below mmapBase; throws {@link LoaderException} with ENOMEM if there is none.
     */
    long findFree(long len) throws LoaderException;

    /** Sets the start of the program break (just after the main executable's highest segment, page aligned). */
    void setBrkStart(long addr);

    /**
     * End of the user part of this address space (Linux's TASK_SIZE): no segment may reach above it.
     * Defaults to {@link ElfLoader#USER_LIMIT}, below jvisor's stub.
     */
    default long userLimit() {
        return ElfLoader.USER_LIMIT;
    }
}
