package dev.jvisor.kernel.mm;

/** One virtual memory area of an app address space: a page-aligned range with one protection and kind. */
public final class Vma {
    public long start;
    public long end;
    /** PROT_READ | PROT_WRITE | PROT_EXEC. */
    public int prot;
    /** MAP_SHARED or MAP_PRIVATE, plus MAP_ANONYMOUS etc. as given to mmap. */
    public int flags;
    /** What /proc/pid/maps shows: a path, "[heap]", "[stack]", or empty. */
    public String name;

    public Vma(long start, long end, int prot, int flags, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.name = name;
    }

    Vma copyRange(long s, long e) {
        return new Vma(s, e, prot, flags, name);
    }

    boolean sameKind(Vma o) {
        return prot == o.prot && flags == o.flags && java.util.Objects.equals(name, o.name);
    }

    public long length() {
        return end - start;
    }
}
