package dev.jvisor.kernel.mm;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.MemoryGuard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An app address space as the Sentry sees it (DESIGN.md §4): VMAs, the program break, and which app
 * pages are populated with which memory-file pages. The host address space (a stub) is filled lazily:
 * the first touch of a page faults into {@link #handleFault}, which populates a window of pages and
 * maps it. All fields but the host address space are plain data in the kernel graph.
 */
public final class MemoryManager {
    public static final long PAGE = 4096;
    /** Linux's default vm.mmap_min_addr. */
    public static final long MIN_ADDR = 0x10000;
    /** Pages populated and mapped together on a fault. */
    private static final long FAULT_WINDOW = 16 * PAGE;

    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_FIXED_NOREPLACE = 0x100000;

    private final MemoryFile memory;
    private final PageRefs refs;
    private final long maxAddr;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    private long mmapBase;
    private long brkStart;
    private long brkEnd;
    private transient AddressSpace host;
    /** Set once threads share this space: freed pages then wait until every thread's mappings are updated. */
    private boolean sharedByThreads;
    /** Memory-file ranges freed but possibly still mapped by a thread running app code. */
    private transient List<long[]> deferredFrees;
    /** Lock bits every new mapping gets (mlockall MCL_FUTURE: Linux's mm->def_flags). */
    private int defLockFlags;

    public MemoryManager(MemoryFile memory, PageRefs refs, long maxAddr) {
        this.memory = memory;
        this.refs = refs;
        this.maxAddr = maxAddr;
        this.mmapBase = maxAddr;
    }

    /**
     * fork(2): a new address space with the same mappings. Private pages are shared with the child
     * until either side writes them; so that the next write faults, the parent's host mappings of
     * writable private memory are dropped (they come back read-only or copied, page by page).
     */
    public synchronized MemoryManager fork() {
        MemoryManager c = new MemoryManager(memory, refs, maxAddr);
        for (Vma v : vmas.values()) {
            Vma cv = v.copyRange(v.start, v.end);
            // A child does not inherit memory locks (dup_mmap clears VM_LOCKED).
            cv.flags &= ~Vma.VM_LOCKED_MASK;
            c.putVma(cv);
        }
        for (Map.Entry<Long, Extent> e : extents.entrySet()) {
            Extent x = e.getValue();
            c.extents.put(e.getKey(), new Extent(x.fileOffset, x.length));
            refs.share(x.fileOffset, x.length);
            if (host != null) {
                host.unmap(e.getKey(), x.length);
            }
        }
        c.mmapBase = mmapBase;
        c.brkStart = brkStart;
        c.brkEnd = brkEnd;
        return c;
    }

    /** Threads now share this space (clone with CLONE_VM): page frees are deferred, see {@link #hasDeferredFrees}. */
    public synchronized void markSharedByThreads() {
        sharedByThreads = true;
    }

    private void free(long off, long len) {
        if (sharedByThreads && host != null) {
            if (deferredFrees == null) {
                deferredFrees = new ArrayList<>();
            }
            deferredFrees.add(new long[] {off, len});
        } else {
            memory.free(off, len);
        }
    }

    /**
     * Whether pages were freed that another thread might still reach through its host mappings: the
     * caller then applies the mapping changes ({@code AddressSpace.flush}) and calls {@link #releaseDeferred}.
     */
    public boolean hasDeferredFrees() {
        return deferredFrees != null && !deferredFrees.isEmpty();
    }

    /** Returns deferred pages to the memory file, once no thread maps them any more. */
    public synchronized void releaseDeferred() {
        if (deferredFrees != null) {
            for (long[] f : deferredFrees) {
                memory.free(f[0], f[1]);
            }
            deferredFrees.clear();
        }
    }

    /** Attaches the host address space (a fresh stub after creation or restore); it starts empty. */
    public void attachHost(AddressSpace as) {
        this.host = as;
    }

    public AddressSpace host() {
        return host;
    }

    public MemoryFile memoryFile() {
        return memory;
    }

    public synchronized void setMmapBase(long base) {
        this.mmapBase = base;
    }

    public long maxAddr() {
        return maxAddr;
    }

    // ---- mappings -------------------------------------------------------------------------------

    /** mmap(2) of anonymous memory; returns the address or throws with Linux's errno. */
    public synchronized long mmapAnonymous(long addr, long length, int prot, int flags, String name) {
        return map(addr, length, prot, flags, name, null, 0);
    }

    /** mmap(2) of a file: private mappings get copies of its pages on first touch, shared ones its pages. */
    public synchronized long mmapFile(long addr, long length, int prot, int flags, dev.jvisor.kernel.vfs.Inode file, long offset,
            String name) {
        return map(addr, length, prot, flags & ~MAP_ANONYMOUS, name, file, offset);
    }

    /** Places a new mapping (at {@code addr} with MAP_FIXED, else near it or wherever there is room). */
    private long map(long addr, long length, int prot, int flags, String name, dev.jvisor.kernel.vfs.Inode file, long offset) {
        if (length == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (length < 0) {
            // An unsigned length beyond the address space.
            throw new SyscallException(Errno.ENOMEM);
        }
        long len = pageUp(length);
        if (len < 0 || len > maxAddr) {
            throw new SyscallException(Errno.ENOMEM);
        }
        long at;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((addr & (PAGE - 1)) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (addr + len > maxAddr || addr + len < addr) {
                throw new SyscallException(Errno.ENOMEM);
            }
            if (addr < MIN_ADDR) {
                throw new SyscallException(Errno.EPERM);
            }
            if ((flags & MAP_FIXED) == 0 && overlaps(addr, addr + len)) {
                throw new SyscallException(Errno.EEXIST);
            }
            at = addr;
            unmapRange(at, at + len);
        } else {
            long hint = pageDown(addr);
            if (hint >= MIN_ADDR && hint + len <= maxAddr && hint + len > hint && !overlaps(hint, hint + len)) {
                at = hint;
            } else {
                at = findFree(len);
            }
        }
        insert(new Vma(at, at + len, prot, flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE) | defLockFlags, name, file,
                offset));
        return at;
    }

    /** mremap(2): shrink, grow in place, or (MREMAP_MAYMOVE) move; pages move with the mapping. */
    public synchronized long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        final int MAYMOVE = 1, FIXED = 2;
        if ((oldAddr & (PAGE - 1)) != 0 || (flags & ~(MAYMOVE | FIXED | 4)) != 0 || newLen <= 0
                || (flags & FIXED) != 0 && (flags & MAYMOVE) == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long oldSize = pageUp(oldLen);
        long newSize = pageUp(newLen);
        Vma v = vmaAt(oldAddr);
        if (v == null || oldSize == 0 || v.end < oldAddr + oldSize) {
            throw new SyscallException(Errno.EFAULT);
        }
        if ((flags & FIXED) != 0) {
            if ((newAddr & (PAGE - 1)) != 0 || newAddr < oldAddr + oldSize && oldAddr < newAddr + newSize) {
                throw new SyscallException(Errno.EINVAL);
            }
            return move(v, oldAddr, oldSize, newSize, newAddr);
        }
        if (newSize <= oldSize) {
            if (newSize < oldSize) {
                unmapRange(oldAddr + newSize, oldAddr + oldSize);
            }
            return oldAddr;
        }
        long end = oldAddr + oldSize;
        if (v.end == end && end + (newSize - oldSize) <= maxAddr && !overlaps(end, oldAddr + newSize)) {
            Vma grown = v.copyRange(end, oldAddr + newSize);
            insert(grown);
            return oldAddr;
        }
        if ((flags & MAYMOVE) == 0) {
            throw new SyscallException(Errno.ENOMEM);
        }
        return move(v, oldAddr, oldSize, newSize, findFree(newSize));
    }

    private long move(Vma v, long oldAddr, long oldSize, long newSize, long to) {
        unmapRange(to, to + newSize);
        long kept = Math.min(oldSize, newSize);
        Vma moved = v.copyRange(oldAddr, oldAddr + kept);
        moved.start = to;
        moved.end = to + newSize;
        // Re-key the populated pages instead of copying them.
        splitExtentAt(oldAddr);
        splitExtentAt(oldAddr + kept);
        Map<Long, Extent> pages = new TreeMap<>(extents.subMap(oldAddr, true, oldAddr + kept, false));
        extents.keySet().removeAll(pages.keySet());
        // The new VMA goes in before the old one leaves, so a mapped file never drops to no mapping
        // (and frees its pages) half way through the move.
        insert(moved);
        unmapRange(oldAddr, oldAddr + oldSize);
        for (Map.Entry<Long, Extent> e : pages.entrySet()) {
            extents.put(to + (e.getKey() - oldAddr), e.getValue());
        }
        return to;
    }

    /** munmap(2). */
    public synchronized void munmap(long addr, long length) {
        if ((addr & (PAGE - 1)) != 0 || length <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = addr + pageUp(length);
        if (end > maxAddr || end < addr) {
            throw new SyscallException(Errno.EINVAL);
        }
        unmapRange(addr, end);
    }

    /** mprotect(2): the whole range must be mapped. */
    public synchronized void mprotect(long addr, long length, int prot) {
        if ((addr & (PAGE - 1)) != 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = addr + pageUp(length);
        if (end < addr) {
            throw new SyscallException(Errno.ENOMEM);
        }
        if (end == addr) {
            return;
        }
        for (long a = addr; a < end; ) {
            Vma v = vmaAt(a);
            if (v == null) {
                throw new SyscallException(Errno.ENOMEM);
            }
            a = v.end;
        }
        splitAt(addr);
        splitAt(end);
        for (Vma v : vmas.subMap(addr, true, end, false).values()) {
            v.prot = prot;
        }
        mergeAll(addr, end);
        // The host picks up the new protection when the pages fault in again.
        if (host != null) {
            host.unmap(addr, end - addr);
        }
    }

    /**
     * {@code file} shrank to {@code size}: the pages of shared mappings of it that lie wholly past the
     * new end leave the host address space, so that the next access faults, and {@link #handleFault}
     * answers SIGBUS. (Private copies already made stay, where Linux would drop them too.)
     */
    public synchronized void fileShrunk(dev.jvisor.kernel.vfs.Inode file, long size) {
        if (host == null) {
            return;
        }
        long end = pageUp(size);
        for (Vma v : vmas.values()) {
            if (v.file == file && v.sharedFile() && v.fileOffset + (v.end - v.start) > end) {
                long from = v.start + Math.max(0, end - v.fileOffset);
                host.unmap(from, v.end - from);
            }
        }
    }

    /** Drops the pages of [start, end) (madvise DONTNEED): anonymous memory reads back as zeros. */
    public synchronized void discard(long start, long end) {
        for (long a = start; a < end; ) {
            Vma v = vmaAt(a);
            if (v == null) {
                throw new SyscallException(Errno.ENOMEM);
            }
            a = v.end;
        }
        freeExtents(start, end);
        if (host != null) {
            host.unmap(start, end - start);
        }
    }

    /** brk(2): returns the new break, or the old one if the change is impossible. */
    public synchronized long brk(long newBrk) {
        if (newBrk < brkStart) {
            return brkEnd;
        }
        long oldTop = pageUp(brkEnd);
        long newTop = pageUp(newBrk);
        if (newTop > oldTop) {
            if (newTop > maxAddr || overlaps(oldTop, newTop)) {
                return brkEnd;
            }
            insert(new Vma(oldTop, newTop, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | defLockFlags,
                    "[heap]"));
        } else if (newTop < oldTop) {
            unmapRange(newTop, oldTop);
        }
        brkEnd = newBrk;
        return brkEnd;
    }

    public synchronized void setBrkStart(long addr) {
        brkStart = addr;
        brkEnd = addr;
    }

    public synchronized long brkStart() {
        return brkStart;
    }

    /** A free page-aligned range of {@code len} bytes, searched top-down from the mmap base. */
    public synchronized long findFree(long len) {
        long end = mmapBase;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start >= end) {
                continue;
            }
            if (v.end <= end && end - v.end >= len) {
                return end - len;
            }
            end = Math.min(end, v.start);
        }
        if (end - MIN_ADDR >= len) {
            return end - len;
        }
        throw new SyscallException(Errno.ENOMEM);
    }

    public synchronized Vma vmaAt(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        return e != null && addr < e.getValue().end ? e.getValue() : null;
    }

    public synchronized List<Vma> vmas() {
        return new ArrayList<>(vmas.values());
    }

    private boolean overlaps(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e != null && e.getValue().end > start;
    }

    private void insert(Vma v) {
        putVma(v);
        mergeAll(v.start, v.end);
    }

    // Every VMA enters and leaves the map through these two methods, which keep the mapping count
    // of the file it maps (MappingTracked) equal to the number of VMAs naming it. A new VMA is always
    // put before the one it replaces leaves (split, merge, move), so a count never touches zero
    // while the file is still mapped.

    /** Adds {@code v} to the map (replacing a VMA at the same start, which then leaves it). */
    private void putVma(Vma v) {
        Vma old = vmas.put(v.start, v);
        if (v.file instanceof MappingTracked f) {
            f.mappingAdded();
        }
        if (old != null && old != v) {
            left(old);
        }
    }

    /** Takes the VMA starting at {@code start} out of the map. */
    private void removeVma(long start) {
        Vma old = vmas.remove(start);
        if (old != null) {
            left(old);
        }
    }

    private void left(Vma v) {
        if (v.file instanceof MappingTracked f) {
            f.mappingRemoved(this::free);
        }
    }

    /** Splits the VMA containing {@code addr} so that a VMA starts there. */
    private void splitAt(long addr) {
        Vma v = vmaAt(addr);
        if (v != null && v.start < addr) {
            Vma right = v.copyRange(addr, v.end);
            v.end = addr;
            putVma(right);
        }
    }

    /** Merges neighbouring VMAs of the same kind around [start, end) to keep the graph small. */
    private void mergeAll(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(start);
        long from = e != null ? e.getKey() : start;
        Vma prev = null;
        List<Long> dead = new ArrayList<>();
        for (Vma v : vmas.subMap(from, true, end, true).values()) {
            if (prev != null && prev.end == v.start && prev.sameKind(v)) {
                prev.end = v.end;
                dead.add(v.start);
            } else {
                prev = v;
            }
        }
        dead.forEach(this::removeVma);
    }

    private void unmapRange(long start, long end) {
        splitAt(start);
        splitAt(end);
        new ArrayList<>(vmas.subMap(start, true, end, false).keySet()).forEach(this::removeVma);
        freeExtents(start, end);
        if (host != null) {
            host.unmap(start, end - start);
        }
    }

    private void freeExtents(long start, long end) {
        splitExtentAt(start);
        splitExtentAt(end);
        Map<Long, Extent> doomed = extents.subMap(start, true, end, false);
        for (Extent x : doomed.values()) {
            refs.release(x.fileOffset, x.length, this::free);
        }
        doomed.clear();
    }

    private void splitExtentAt(long addr) {
        Map.Entry<Long, Extent> e = extents.floorEntry(addr);
        if (e == null) {
            return;
        }
        long s = e.getKey();
        Extent x = e.getValue();
        if (s < addr && addr < s + x.length) {
            long left = addr - s;
            extents.put(addr, new Extent(x.fileOffset + left, x.length - left));
            x.length = left;
        }
    }

    // ---- faults -----------------------------------------------------------------------------------

    /** What {@link #handleFault} returns for a page that must be SIGBUS (BUS_ADRERR): a shared file page past the end. */
    public static final int FAULT_PAST_EOF = -1;

    /**
     * Resolves an app page fault: populates and maps a window of pages around {@code addr}. Returns 0
     * when resolved, {@link #FAULT_PAST_EOF}, else the si_code for the SIGSEGV to deliver
     * (SEGV_MAPERR = 1, SEGV_ACCERR = 2).
     */
    public synchronized int handleFault(long addr, boolean write, boolean exec) {
        Vma v = vmaAt(addr);
        if (v == null) {
            return 1;
        }
        int need = write ? PROT_WRITE : exec ? PROT_EXEC : PROT_READ;
        if ((v.prot & need) == 0 || v.prot == 0) {
            return 2;
        }
        long winStart = Math.max(v.start, addr & ~(FAULT_WINDOW - 1));
        long winEnd = Math.min(v.end, (addr & ~(FAULT_WINDOW - 1)) + FAULT_WINDOW);
        long faultPage = pageDown(addr);
        if (v.sharedFile()) {
            // Only pages that hold some of the file are mapped: past them an access is SIGBUS.
            long eof = v.start + pageUp(((SharedPages) v.file).sharedData().size()) - v.fileOffset;
            if (faultPage >= eof) {
                return FAULT_PAST_EOF;
            }
            winEnd = Math.min(winEnd, eof);
            for (long a = winStart; a < winEnd; a += PAGE) {
                long off = sharedPage(v, a);
                host.map(a, PAGE, off, guardedProt(v.prot, off, PAGE, write && a == faultPage));
            }
            return 0;
        }
        populate(winStart, winEnd);
        if (write) {
            breakCow(pageDown(addr));
        }
        // Map every populated run in the window (some may have been written by the Sentry only);
        // pages still shared with another address space are mapped read-only, so a write faults.
        for (long a = winStart; a < winEnd; ) {
            Map.Entry<Long, Extent> e = extents.floorEntry(a);
            Extent x = e.getValue();
            long off = x.fileOffset + (a - e.getKey());
            long runEnd = Math.min(winEnd, e.getKey() + x.length);
            runEnd = refs.sameStateEnd(off, off + (runEnd - a)) - off + a;
            int prot = refs.refs(off) > 1 ? v.prot & ~PROT_WRITE : v.prot;
            host.map(a, runEnd - a, off, guardedProt(prot, off, runEnd - a,
                    write && a <= faultPage && faultPage < runEnd));
            a = runEnd;
        }
        return 0;
    }

    /**
     * The protection to map memory-file range [off, off+len) with while the memory file is guarded
     * (see MemoryGuard): the guard sees every range before it is mapped (a lazy restore loads it);
     * memory a streaming checkpoint still needs is mapped read-only, so the app's first write
     * faults, and the range being written is copied aside first.
     */
    private int guardedProt(int prot, long off, long len, boolean writing) {
        MemoryGuard g = memory.guard();
        if (g == null) {
            return prot;
        }
        if (writing) {
            g.beforeWrite(off, len);
            return prot;
        }
        g.beforeRead(off, len);
        return (prot & PROT_WRITE) != 0 && g.pending(off, len) ? prot & ~PROT_WRITE : prot;
    }

    /**
     * Takes every page out of the host address space (they fault back in through {@link
     * #handleFault}): called with the sandbox frozen when a checkpoint starts guarding memory, so
     * that no app write can reach it unseen.
     */
    public synchronized void unmapHostForCheckpoint() {
        if (host == null) {
            return;
        }
        for (Vma v : vmas.values()) {
            host.unmap(v.start, v.end - v.start);
        }
    }

    /**
     * Gives the populated private page at {@code page} its own copy if another address space still
     * shares it (copy on write). The caller maps the page again.
     */
    private void breakCow(long page) {
        Map.Entry<Long, Extent> e = extents.floorEntry(page);
        long off = e.getValue().fileOffset + (page - e.getKey());
        if (refs.refs(off) < 2) {
            return;
        }
        long copy = memory.allocate(PAGE);
        if (copy < 0) {
            throw new SyscallException(Errno.ENOMEM);
        }
        memory.copy(off, copy, PAGE);
        splitExtentAt(page);
        splitExtentAt(page + PAGE);
        extents.get(page).fileOffset = copy;
        refs.release(off, PAGE, this::free);
        if (host != null) {
            host.unmap(page, PAGE);
        }
    }

    /** Makes sure every page of [start, end) has memory-file backing. */
    private void populate(long start, long end) {
        long a = start;
        while (a < end) {
            Map.Entry<Long, Extent> e = extents.floorEntry(a);
            if (e != null && a < e.getKey() + e.getValue().length) {
                a = e.getKey() + e.getValue().length;
                continue;
            }
            Long next = extents.ceilingKey(a);
            long holeEnd = next == null ? end : Math.min(end, next);
            long len = holeEnd - a;
            long off = memory.allocate(len);
            if (off < 0) {
                throw new SyscallException(Errno.ENOMEM);
            }
            fillFromFile(a, len, off);
            if (e != null && e.getKey() + e.getValue().length == a
                    && e.getValue().fileOffset + e.getValue().length == off) {
                e.getValue().length += len;
            } else {
                extents.put(a, new Extent(off, len));
            }
            a = holeEnd;
        }
    }

    /** Private file mappings start as a copy of the file's bytes (zeros past its end). */
    private void fillFromFile(long addr, long len, long off) {
        Vma v = vmaAt(addr);
        if (v == null || v.file == null) {
            return;
        }
        byte[] buf = new byte[(int) Math.min(len, 1 << 20)];
        for (long done = 0; done < len; ) {
            int n = (int) Math.min(buf.length, len - done);
            Vma cur = vmaAt(addr + done);
            long fileOff = cur.fileOffset + (addr + done - cur.start);
            int got = Math.max(0, cur.file.readBytes(null, fileOff, buf, 0, n));
            if (got > 0) {
                memory.write(off + done, buf, 0, got);
            }
            done += n;
        }
    }

    /**
     * The memory-file page of a shared file mapping at {@code addr} (the file's own page); EFAULT for
     * a page wholly past the file's end, as Linux gives a syscall that touches one.
     */
    private long sharedPage(Vma v, long addr) {
        if (!(v.file instanceof SharedPages f)) {
            throw new SyscallException(Errno.ENODEV);
        }
        long fileOff = v.fileOffset + (pageDown(addr) - v.start);
        dev.jvisor.kernel.vfs.FileData data = f.sharedData();
        if (fileOff >= pageUp(data.size())) {
            throw new SyscallException(Errno.EFAULT);
        }
        return data.pageOffset(fileOff / PAGE, true);
    }

    // ---- app memory access for the Sentry -----------------------------------------------------------

    /** The memory-file offset of the byte at {@code addr}, populating it if asked; -1 if unpopulated. */
    private long fileOffset(long addr, boolean populate) {
        Vma sv = vmaAt(addr);
        if (sv != null && sv.sharedFile()) {
            return sharedPage(sv, addr) + (addr & (PAGE - 1));
        }
        Map.Entry<Long, Extent> e = extents.floorEntry(addr);
        if (e != null && addr < e.getKey() + e.getValue().length) {
            return e.getValue().fileOffset + (addr - e.getKey());
        }
        if (!populate) {
            return -1;
        }
        Vma v = vmaAt(addr);
        long window = addr & ~(FAULT_WINDOW - 1);
        populate(Math.max(v.start, window), Math.min(v.end, window + FAULT_WINDOW));
        return fileOffset(addr, false);
    }

    /** Like {@link #fileOffset} with population, for a write: a page shared after fork is copied first. */
    private long writableFileOffset(long addr) {
        long fo = fileOffset(addr, true);
        Vma v = vmaAt(addr);
        if (v != null && !v.sharedFile() && refs.refs(fo - (addr & (PAGE - 1))) > 1) {
            breakCow(pageDown(addr));
            fo = fileOffset(addr, false);
        }
        return fo;
    }

    /**
     * The memory-file offset of the byte at {@code addr} when it lies in a MAP_SHARED mapping (file
     * or anonymous), populating its page; -1 for private or unmapped memory. Shared futexes are keyed
     * by it, so every process mapping the same memory finds the same wait queue.
     */
    public synchronized long sharedBackingOffset(long addr) {
        Vma v = vmaAt(addr);
        if (v == null || (v.flags & MAP_SHARED) == 0) {
            return -1;
        }
        return fileOffset(addr, true);
    }

    /** Checks [addr, addr+len) is mapped with {@code prot}; throws EFAULT otherwise. */
    private void checkAccess(long addr, long len, int prot) {
        if (len == 0) {
            return;
        }
        long end = addr + len;
        if (end < addr || addr < 0) {
            throw new SyscallException(Errno.EFAULT);
        }
        for (long a = addr; a < end; ) {
            Vma v = vmaAt(a);
            if (v == null || (v.prot & prot) != prot) {
                throw new SyscallException(Errno.EFAULT);
            }
            a = v.end;
        }
    }

    /** Copies app memory into {@code dst}; EFAULT if not readable. */
    public synchronized void copyIn(long addr, byte[] dst, int off, int len) {
        checkAccess(addr, len, PROT_READ);
        for (int done = 0; done < len; ) {
            long a = addr + done;
            int n = (int) Math.min(len - done, PAGE - (a & (PAGE - 1)));
            long fo = fileOffset(a, false);
            if (fo < 0) {
                java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
            } else {
                memory.read(fo, dst, off + done, n);
            }
            done += n;
        }
    }

    /** Copies into app memory; EFAULT if not writable. */
    public synchronized void copyOut(long addr, byte[] src, int off, int len) {
        checkAccess(addr, len, PROT_WRITE);
        write(addr, src, off, len);
    }

    /** Writes app memory regardless of protections (the loader, signal frames); the range must be mapped. */
    public synchronized void write(long addr, byte[] src, int off, int len) {
        checkAccess(addr, len, 0);
        for (int done = 0; done < len; ) {
            long a = addr + done;
            int n = (int) Math.min(len - done, PAGE - (a & (PAGE - 1)));
            memory.write(writableFileOffset(a), src, off + done, n);
            done += n;
        }
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        copyIn(addr, b, 0, len);
        return b;
    }

    public long readLong(long addr) {
        byte[] b = read(addr, 8);
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int readInt(long addr) {
        byte[] b = read(addr, 4);
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public void writeLong(long addr, long v) {
        byte[] b = new byte[8];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v);
        copyOut(addr, b, 0, 8);
    }

    public void writeInt(long addr, int v) {
        byte[] b = new byte[4];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v);
        copyOut(addr, b, 0, 4);
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes; ENAMETOOLONG if longer. */
    public String readCString(long addr, int max) {
        byte[] buf = new byte[256];
        int n = 0;
        while (true) {
            long a = addr + n;
            int chunk = (int) Math.min(PAGE - (a & (PAGE - 1)), 256);
            if (n + chunk > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + chunk));
            }
            copyIn(a, buf, n, chunk);
            for (int i = n; i < n + chunk; i++) {
                if (buf[i] == 0) {
                    if (i >= max) {
                        throw new SyscallException(Errno.ENAMETOOLONG);
                    }
                    return new String(buf, 0, i, StandardCharsets.UTF_8);
                }
            }
            n += chunk;
            if (n >= max) {
                throw new SyscallException(Errno.ENAMETOOLONG);
            }
        }
    }

    /** A host I/O call on {@code len} bytes at a host address; returns the count it moved. */
    @FunctionalInterface
    public interface HostIo {
        long apply(long hostAddr, long len);
    }

    /**
     * Moves up to {@code len} bytes between app memory at {@code addr} and a host call, without copying
     * when the range is contiguous in the memory file. Reads ({@code intoApp}) make one host call, as
     * read(2) must; writes may make several and stop at the first short one.
     */
    public long transfer(long addr, long len, boolean intoApp, HostIo io) {
        synchronized (this) {
            checkAccess(addr, len, intoApp ? PROT_WRITE : PROT_READ);
        }
        if (len == 0) {
            return io.apply(0, 0);
        }
        if (intoApp) {
            long start;
            long run;
            synchronized (this) {
                run = contiguousRun(addr, len, true);
                start = memory.writableAddress(writableFileOffset(addr), run);
            }
            if (run == len) {
                // The host call runs without the lock: it may block (a read from the host's stdin).
                return io.apply(start, len);
            }
            int n = (int) Math.min(len, 1 << 20);
            try (com.sun.jna.Memory bounce = new com.sun.jna.Memory(n)) {
                long got = io.apply(com.sun.jna.Pointer.nativeValue(bounce), n);
                if (got > 0) {
                    write(addr, bounce.getByteArray(0, (int) got), 0, (int) got);
                }
                return got;
            }
        }
        long done = 0;
        while (done < len) {
            long run;
            long start;
            synchronized (this) {
                run = contiguousRun(addr + done, len - done, false);
                start = memory.readableAddress(fileOffset(addr + done, true), run);
            }
            long n = io.apply(start, run);
            done += n;
            if (n < run) {
                break;
            }
        }
        return done;
    }

    /** How many bytes from {@code addr} (at most {@code max}) are contiguous in the memory file, populating them. */
    private long contiguousRun(long addr, long max, boolean forWrite) {
        long fo = forWrite ? writableFileOffset(addr) : fileOffset(addr, true);
        long run = Math.min(max, PAGE - (addr & (PAGE - 1)));
        while (run < max && (forWrite ? writableFileOffset(addr + run) : fileOffset(addr + run, true)) == fo + run) {
            run = Math.min(max, run + PAGE);
        }
        return run;
    }

    /** Total populated bytes (what the app's resident memory costs the sandbox). */
    public synchronized long populatedBytes() {
        long sum = 0;
        for (Extent x : extents.values()) {
            sum += x.length;
        }
        return sum;
    }

    /** Frees all memory (process exit). */
    public synchronized void releaseAll() {
        sharedByThreads = false;
        releaseDeferred();
        for (Extent x : extents.values()) {
            refs.release(x.fileOffset, x.length, memory::free);
        }
        extents.clear();
        new ArrayList<>(vmas.keySet()).forEach(this::removeVma);
    }

    // ---- memory locks (mlock, munlock, mlockall) -------------------------------------------------

    /**
     * Linux's apply_vma_lock_flags: sets the lock bits of [start, end) (page aligned) to
     * {@code lockFlags}, VMA by VMA from {@code start}; a hole ends it with ENOMEM, the part before the
     * hole changed, as in Linux. Returns normally when the whole range is mapped.
     */
    public synchronized void setLockFlags(long start, long end, int lockFlags) {
        if (end < start) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (end == start) {
            return;
        }
        long covered = start;
        while (covered < end) {
            Vma v = vmaAt(covered);
            if (v == null) {
                break;
            }
            covered = Math.min(v.end, end);
        }
        if (covered > start) {
            splitAt(start);
            splitAt(covered);
            for (Vma v : vmas.subMap(start, true, covered, false).values()) {
                v.flags = (v.flags & ~Vma.VM_LOCKED_MASK) | lockFlags;
            }
            mergeAll(start, covered);
        }
        if (covered < end) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /**
     * mlockall/munlockall (apply_mlockall_flags): {@code future} becomes every new mapping's lock bits;
     * with {@code current}, every mapping now gets {@code lockFlags}.
     */
    public synchronized void setLockFlagsAll(boolean current, int lockFlags, int future) {
        defLockFlags = future;
        if (!current) {
            return;
        }
        for (Vma v : vmas.values()) {
            v.flags = (v.flags & ~Vma.VM_LOCKED_MASK) | lockFlags;
        }
        if (!vmas.isEmpty()) {
            mergeAll(vmas.firstKey(), vmas.lastEntry().getValue().end);
        }
    }

    /** The lock bits new mappings get (mlockall MCL_FUTURE), 0 normally. */
    public synchronized int newMappingLockFlags() {
        return defLockFlags;
    }

    /** Bytes of locked mappings in [start, end), or everywhere with 0, Long.MAX_VALUE (VmLck). */
    public synchronized long lockedBytes(long start, long end) {
        long n = 0;
        for (Vma v : vmas.values()) {
            if ((v.flags & Vma.VM_LOCKED) != 0 && v.end > start && v.start < end) {
                n += Math.min(v.end, end) - Math.max(v.start, start);
            }
        }
        return n;
    }

    /** Bytes of all mappings (total_vm). */
    public synchronized long mappedBytes() {
        long n = 0;
        for (Vma v : vmas.values()) {
            n += v.end - v.start;
        }
        return n;
    }

    public static long pageUp(long v) {
        return (v + PAGE - 1) & ~(PAGE - 1);
    }

    public static long pageDown(long v) {
        return v & ~(PAGE - 1);
    }
}
