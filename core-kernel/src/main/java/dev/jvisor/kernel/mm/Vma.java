package dev.jvisor.kernel.mm;

/** One virtual memory area of an app address space: a page-aligned range with one protection and kind. */
public final class Vma {
    /**
     * Bits of {@link #flags} beyond what mmap(2) takes: VM_LOCKED is mmap's MAP_LOCKED (mlock sets it
     * too); the others are the kernel's own, kept in bits mmap's flags never use here (mmap masks them).
     */
    public static final int VM_LOCKED = 0x2000, VM_MAYWRITE = 0x20000000, VM_LOCKONFAULT = 0x40000000;
    /** The lock bits mlock(2), munlock(2) and mlockall(2) change. */
    public static final int VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;

    public long start;
    public long end;
    /** PROT_READ | PROT_WRITE | PROT_EXEC. */
    public int prot;
    /** MAP_SHARED or MAP_PRIVATE, plus MAP_ANONYMOUS etc. as given to mmap. */
    public int flags;
    /** What /proc/pid/maps shows: a path, "[heap]", "[stack]", or empty. */
    public String name;
    /**
     * The mapped file (null for anonymous memory) and the file offset of {@link #start}. Final: the
     * memory manager counts a file's mappings as the VMAs in its map that name it (see
     * {@link MappingTracked}), so a VMA never changes the file it maps.
     */
    public final dev.jvisor.kernel.vfs.Inode file;
    public long fileOffset;

    public Vma(long start, long end, int prot, int flags, String name) {
        this(start, end, prot, flags, name, null, 0);
    }

    public Vma(long start, long end, int prot, int flags, String name, dev.jvisor.kernel.vfs.Inode file, long fileOffset) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.name = name;
        this.file = file;
        this.fileOffset = file == null ? 0 : fileOffset;
    }

    Vma copyRange(long s, long e) {
        return new Vma(s, e, prot, flags, name, file, fileOffset + (s - start));
    }

    /** Whether {@code o}, starting where this ends, could be one VMA with it. */
    boolean sameKind(Vma o) {
        return prot == o.prot && flags == o.flags && java.util.Objects.equals(name, o.name) && file == o.file
                && (file == null || fileOffset + (end - start) == o.fileOffset);
    }

    /** A MAP_SHARED mapping of a file: its pages are the file's own. */
    boolean sharedFile() {
        return file != null && (flags & MemoryManager.MAP_SHARED) != 0;
    }

    public long length() {
        return end - start;
    }
}
