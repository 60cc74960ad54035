package dev.jvisor.kernel.loader;

import java.util.List;

/**
 * Maps ELF images into an address space like Linux's load_elf_binary / load_elf_interp.
 *
 * <p>ET_EXEC segments go to their p_vaddr; an ET_DYN image (PIE, static-pie, ld.so) is placed at a
 * base from {@link LoaderMemory#findFree} large enough for the span from the first PT_LOAD's page to
 * the end of the last one, aligned to the largest power-of-two p_align (Linux's maximum_alignment).
 * Every error is computed before anything is mapped, but Linux meets these errors after its point
 * of no return, so exceptions thrown while loading are marked {@link
 * LoaderException#pastPointOfNoReturn()}.
 */
public final class ElfLoader {
    /**
     * Default end of the user address space ({@link LoaderMemory#userLimit()}): jvisor's stub lives
     * above it. It plays the role of Linux's TASK_SIZE (0x7ffffffff000).
     */
    public static final long USER_LIMIT = 0x7ff000000000L;
    /** Larger p_align values cannot be honoured sensibly in a 47-bit address space and are ignored. */
    private static final long MAX_HONOURED_ALIGN = 1L << 30;

    private ElfLoader() {}

    /** Parses and loads the main executable {@code exe} into {@code mem}; see {@link #load(ElfFile, ElfSource, LoaderMemory)}. */
    public static LoadedImage load(ElfSource exe, LoaderMemory mem) throws LoaderException {
        return load(ElfFile.parse(exe), exe, mem);
    }

    /**
     * Loads the main executable: maps its PT_LOAD segments, copies their file bytes, zeroes bss and
     * sets the program break. Errors carry the errno Linux computes: ENOMEM when a segment's pages
     * cannot be mapped below {@link LoaderMemory#userLimit()} (including a p_memsz that wraps around,
     * which vm_brk rejects); EINVAL for p_filesz > p_memsz, a file offset not congruent to p_vaddr, an
     * entry point outside the address space, or no PT_LOAD at all; whatever {@link LoaderMemory}
     * throws (EEXIST) for an occupied range.
     */
    public static LoadedImage load(ElfFile elf, ElfSource src, LoaderMemory mem) throws LoaderException {
        try {
            long bias = map(elf, src, mem, LoaderException.EINVAL);
            long entry = checkedEntry(elf, bias, mem.userLimit());
            long brk = SegmentPlan.pageAlign(highestEnd(elf) + bias);
            mem.setBrkStart(brk);
            return new LoadedImage(entry, phdrAddress(elf, bias), elf.phnum(), ElfFile.PHDR_SIZE, bias,
                    elf.interpreter(), brk, elf.executableStack());
        } catch (LoaderException e) {
            throw e.afterPointOfNoReturn();
        }
    }

    /** Parses (ELIBBAD for a bad file) and loads an ELF interpreter; see {@link #loadInterpreter(ElfFile, ElfSource, LoaderMemory)}. */
    public static InterpreterImage loadInterpreter(ElfSource interp, LoaderMemory mem) throws LoaderException {
        return loadInterpreter(ElfFile.parseInterpreter(interp), interp, mem);
    }

    /**
     * Loads an ELF interpreter (normally ET_DYN, placed at its own base) without touching the program
     * break. A segment overflowing the address space gives ENOMEM here, as in Linux.
     */
    public static InterpreterImage loadInterpreter(ElfFile interp, ElfSource src, LoaderMemory mem) throws LoaderException {
        try {
            long bias = map(interp, src, mem, LoaderException.ENOMEM);
            return new InterpreterImage(checkedEntry(interp, bias, mem.userLimit()), bias);
        } catch (LoaderException e) {
            throw e.afterPointOfNoReturn();
        }
    }

    /** Plans, validates and maps all PT_LOAD segments; returns the load bias. */
    private static long map(ElfFile elf, ElfSource src, LoaderMemory mem, int rangeErrno) throws LoaderException {
        List<ProgramHeader> loads = elf.loadSegments();
        if (loads.isEmpty()) {
            // Linux: total_mapping_size() == 0 gives EINVAL for ET_DYN; an ET_EXEC dies at its entry.
            throw new LoaderException(LoaderException.EINVAL, elf.path() + ": no PT_LOAD segments");
        }
        long bias = elf.isPositionIndependent() ? chooseBias(elf, loads, mem) : 0;
        SegmentPlan plan = new SegmentPlan(elf.path(), mem.userLimit(), rangeErrno);
        for (int i = 0; i < loads.size(); i++) {
            plan.addSegment(i, loads.get(i), bias, src.size());
        }
        checkedEntry(elf, bias, mem.userLimit());
        plan.apply(mem, src);
        return bias;
    }

    /** Finds room for an ET_DYN image; the bias is a multiple of the image's alignment. */
    private static long chooseBias(ElfFile elf, List<ProgramHeader> loads, LoaderMemory mem) throws LoaderException {
        long firstPage = loads.get(0).vaddr() & -SegmentPlan.PAGE;
        ProgramHeader last = loads.get(loads.size() - 1);
        // Linux's total_mapping_size(): from the first PT_LOAD's page to the end of the last one, in file order.
        long total = last.vaddr() + last.memsz() - firstPage;
        if (total == 0) {
            throw new LoaderException(LoaderException.EINVAL, elf.path() + ": PT_LOAD segments span no memory");
        }
        long align = maximumAlignment(loads);
        if (Long.compareUnsigned(total, mem.userLimit() - align) > 0) {
            throw new LoaderException(LoaderException.ENOMEM, String.format(
                    "%s: image of 0x%x bytes does not fit in the user address space", elf.path(), total));
        }
        long found = mem.findFree(SegmentPlan.pageAlign(total) + align - SegmentPlan.PAGE);
        long start = found + Math.floorMod(firstPage - found, align);
        return start - firstPage;
    }

    /** The largest power-of-two p_align of the PT_LOADs, at least a page (Linux's maximum_alignment). */
    private static long maximumAlignment(List<ProgramHeader> loads) {
        long align = SegmentPlan.PAGE;
        for (ProgramHeader ph : loads) {
            long a = ph.align();
            if (Long.bitCount(a) == 1 && a > align && a <= MAX_HONOURED_ALIGN) {
                align = a;
            }
        }
        return align;
    }

    private static long checkedEntry(ElfFile elf, long bias, long limit) throws LoaderException {
        long entry = elf.entry() + bias;
        if (Long.compareUnsigned(entry, limit) >= 0) {
            throw new LoaderException(LoaderException.EINVAL, String.format(
                    "%s: entry point 0x%x is outside the user address space", elf.path(), entry));
        }
        return entry;
    }

    /** The highest p_vaddr + p_memsz of the PT_LOADs (elf_brk before the bias). */
    private static long highestEnd(ElfFile elf) {
        long end = 0;
        for (ProgramHeader ph : elf.loadSegments()) {
            long e = ph.vaddr() + ph.memsz();
            if (Long.compareUnsigned(e, end) > 0) {
                end = e;
            }
        }
        return end;
    }

    /**
     * Where the program headers are in memory. Linux (since 5.18) uses the last PT_LOAD whose file
     * range contains e_phoff; if none does we fall back to PT_PHDR's p_vaddr (Linux would pass the
     * bare load bias, which no libc can use).
     */
    static long phdrAddress(ElfFile elf, long bias) {
        long phoff = elf.phoff();
        Long addr = null;
        for (ProgramHeader ph : elf.loadSegments()) {
            if (Long.compareUnsigned(ph.offset(), phoff) <= 0
                    && Long.compareUnsigned(phoff - ph.offset(), ph.filesz()) < 0) {
                addr = phoff - ph.offset() + ph.vaddr();
            }
        }
        if (addr == null) {
            ProgramHeader phdr = elf.phdrSegment();
            addr = phdr != null ? phdr.vaddr() : 0;
        }
        return addr + bias;
    }
}
