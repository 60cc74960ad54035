package dev.jvisor.kernel.loader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The page runs an image's PT_LOAD segments occupy and the file bytes to copy into them, computed
 * (and validated) completely before anything is mapped.
 *
 * <p>It reproduces what Linux's elf_load() produces with mmap: each segment maps the file pages
 * covering {@code [vaddr & ~4095, vaddr + filesz)} with the segment's protection (so the bytes
 * before vaddr and, when there is no bss, after filesz up to the page end are file contents), zeroes
 * the rest of the last file page when memsz > filesz (padzero), and maps whole pages up to
 * {@code vaddr + memsz} as anonymous memory with vm_brk_flags() protection: read-write, plus exec if
 * the segment is executable. Linux maps every segment after the first with MAP_FIXED, so a segment
 * that shares pages with an earlier one replaces them; the plan keeps that "last one wins" rule.
 */
final class SegmentPlan {
    static final long PAGE = 4096;
    private static final int COPY_CHUNK = 1 << 20;

    /** Pages {@code [start, end)} mapped for load segment {@code segment}. */
    record Piece(long start, long end, int prot, boolean fileBacked, int segment) {}

    /** Memory {@code [addr, addr+len)} of one segment comes from the file at {@code fileOffset}. */
    private record Copy(long addr, long len, long fileOffset) {}

    private final String path;
    private final long limit;
    private final int rangeErrno;
    private List<Piece> pieces = new ArrayList<>();
    private final List<Copy> copies = new ArrayList<>();

    /**
     * @param limit end of the user address space
     * @param rangeErrno errno for a segment whose size overflows the address space: Linux uses EINVAL
     *     for the executable and ENOMEM for the interpreter
     */
    SegmentPlan(String path, long limit, int rangeErrno) {
        this.path = path;
        this.limit = limit;
        this.rangeErrno = rangeErrno;
    }

    /** Adds load segment number {@code index} (in file order) loaded with {@code bias}; checks as Linux does. */
    void addSegment(int index, ProgramHeader ph, long bias, long fileSize) throws LoaderException {
        long addr = bias + ph.vaddr();
        long pageOff = ph.vaddr() & (PAGE - 1);
        long mapStart = addr & -PAGE;
        long zeroStart = mapStart;
        Copy copy = null;
        if (ph.filesz() != 0) {
            // mmap() needs a page-aligned file offset: EINVAL otherwise.
            if ((ph.offset() & (PAGE - 1)) != pageOff) {
                throw error(LoaderException.EINVAL, index, ph, "file offset and address differ modulo the page size");
            }
            if (Long.compareUnsigned(ph.offset() + ph.filesz(), ph.offset()) < 0) {
                throw error(LoaderException.EOVERFLOW, index, ph, "file range overflows");
            }
            long mapEnd = checkedPageRange(index, ph, mapStart, addr, ph.filesz());
            pieces = without(mapStart, mapEnd);
            pieces.add(new Piece(mapStart, mapEnd, ph.prot(), true, index));
            long fileOff = ph.offset() - pageOff;
            long copyEnd = Long.compareUnsigned(ph.memsz(), ph.filesz()) > 0 ? addr + ph.filesz() : mapEnd;
            // Bytes past the end of the file read as zero (Linux would SIGBUS on whole pages past EOF).
            long avail = Long.compareUnsigned(fileOff, fileSize) >= 0 ? 0 : fileSize - fileOff;
            copyEnd = Math.min(copyEnd, mapStart + Math.min(avail, mapEnd - mapStart));
            copy = new Copy(mapStart, copyEnd - mapStart, fileOff);
            zeroStart = addr + ph.filesz();
        }
        copies.add(copy);
        if (Long.compareUnsigned(ph.memsz(), ph.filesz()) > 0) {
            long end = checkedPageRange(index, ph, mapStart, addr, ph.memsz());
            long start = pageAlign(zeroStart);
            if (start < end) {
                int prot = ProgramHeader.PROT_READ | ProgramHeader.PROT_WRITE | (ph.prot() & ProgramHeader.PROT_EXEC);
                pieces = without(start, end);
                pieces.add(new Piece(start, end, prot, false, index));
            }
        }
        // The final check of load_elf_binary / load_elf_interp.
        if (Long.compareUnsigned(addr, limit) >= 0 || Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0
                || Long.compareUnsigned(ph.memsz(), limit) > 0 || limit - ph.memsz() < addr) {
            throw error(rangeErrno, index, ph, Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0
                    ? "p_filesz is larger than p_memsz" : "segment does not fit in the user address space");
        }
    }

    /** End of the pages covering {@code [addr, addr+len)}, or ENOMEM (as mmap/brk give) if outside the address space. */
    private long checkedPageRange(int index, ProgramHeader ph, long mapStart, long addr, long len) throws LoaderException {
        long end = addr + len;
        if (Long.compareUnsigned(mapStart, limit) >= 0 || Long.compareUnsigned(end, addr) < 0
                || Long.compareUnsigned(end, limit) > 0) {
            throw error(LoaderException.ENOMEM, index, ph, String.format(
                    "segment does not fit below the user address limit 0x%x", limit));
        }
        return pageAlign(end);
    }

    /** The current pieces minus {@code [start, end)}, splitting pieces that straddle it. */
    private List<Piece> without(long start, long end) {
        List<Piece> kept = new ArrayList<>();
        for (Piece q : pieces) {
            if (q.end() <= start || q.start() >= end) {
                kept.add(q);
                continue;
            }
            if (q.start() < start) {
                kept.add(new Piece(q.start(), start, q.prot(), q.fileBacked(), q.segment()));
            }
            if (q.end() > end) {
                kept.add(new Piece(end, q.end(), q.prot(), q.fileBacked(), q.segment()));
            }
        }
        return kept;
    }

    /** The planned page runs, sorted by address. */
    List<Piece> pieces() {
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingLong(Piece::start));
        return sorted;
    }

    /** Maps every piece and copies the file bytes each segment still owns. */
    void apply(LoaderMemory mem, ElfSource src) throws LoaderException {
        List<Piece> sorted = pieces();
        for (Piece p : sorted) {
            mem.mapFixed(p.start(), p.end() - p.start(), p.prot(), p.fileBacked() ? src.path() : "");
        }
        byte[] buf = null;
        for (Piece p : sorted) {
            Copy c = p.fileBacked() ? copies.get(p.segment()) : null;
            if (c == null) {
                continue;
            }
            long lo = Math.max(p.start(), c.addr());
            long hi = Math.min(p.end(), c.addr() + c.len());
            while (lo < hi) {
                int n = (int) Math.min(hi - lo, COPY_CHUNK);
                if (buf == null || buf.length < n) {
                    buf = new byte[COPY_CHUNK];
                }
                ElfFile.readFully(src, c.fileOffset() + (lo - c.addr()), buf, n);
                mem.write(lo, buf, 0, n);
                lo += n;
            }
        }
    }

    private LoaderException error(int errno, int index, ProgramHeader ph, String what) {
        return new LoaderException(errno, String.format("%s: PT_LOAD #%d (vaddr 0x%x, memsz 0x%x): %s",
                path, index, ph.vaddr(), ph.memsz(), what));
    }

    static long pageAlign(long v) {
        return (v + PAGE - 1) & -PAGE;
    }
}
