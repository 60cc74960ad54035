package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.host.Libc;
import java.util.Arrays;

/**
 * The contents of an in-memory file, kept in pages of the sandbox's memory file so they are
 * checkpointed with the rest of memory and can be mapped shared into app address spaces. The page
 * map is one primitive array: memory-file offset + 1 per file page, 0 for a hole.
 */
public final class FileData {
    private static final long PAGE = 4096;
    private final MemoryFile memory;
    private long[] pages = new long[0];
    private long size;
    /**
     * Runs of pages cut off by a truncation while the file was mapped, as (offset, length) pairs: an
     * address space may still reach them until its mapping changes apply, so they are freed only with
     * the file's last mapping (null when there are none, and in snapshots from before this field).
     */
    private long[] orphans;

    public FileData(MemoryFile memory) {
        this.memory = memory;
    }

    public synchronized long size() {
        return size;
    }

    /** Bytes of memory the contents occupy (not counting pages cut off while mapped). */
    public synchronized long allocatedBytes() {
        long n = 0;
        for (long p : pages) {
            if (p != 0) {
                n += PAGE;
            }
        }
        return n;
    }

    /** The memory-file offset of file page {@code index}, allocating it if asked; -1 for a hole. */
    public synchronized long pageOffset(long index, boolean allocate) {
        if (index < pages.length && pages[(int) index] != 0) {
            return pages[(int) index] - 1;
        }
        if (!allocate) {
            return -1;
        }
        if (index >= Integer.MAX_VALUE) {
            throw new SyscallException(Errno.EFBIG);
        }
        if (index >= pages.length) {
            pages = Arrays.copyOf(pages, (int) Math.max(index + 1, Math.min(Integer.MAX_VALUE - 8, pages.length * 2L)));
        }
        long off = memory.allocate(PAGE);
        if (off < 0) {
            throw new SyscallException(Errno.ENOSPC);
        }
        pages[(int) index] = off + 1;
        return off;
    }

    /** Copies file bytes at {@code off} into app memory; returns the count (0 at or after EOF). */
    public long read(Task t, long off, long addr, long len) {
        long n;
        synchronized (this) {
            if (off >= size) {
                return 0;
            }
            n = Math.min(len, size - off);
        }
        return t.mm().transfer(addr, n, true, (host, count) -> {
            copy(off, host, count, false);
            return count;
        });
    }

    /** Copies app memory into the file at {@code off}, growing it; returns the count. */
    public long write(Task t, long off, long addr, long len) {
        if (off + len < 0) {
            throw new SyscallException(Errno.EFBIG);
        }
        long[] pos = {off};
        return t.mm().transfer(addr, len, false, (host, count) -> {
            synchronized (this) {
                copy(pos[0], host, count, true);
                size = Math.max(size, pos[0] + count);
            }
            pos[0] += count;
            return count;
        });
    }

    /** Moves bytes between the file and a host address (direction {@code intoFile}). */
    private void copy(long off, long host, long len, boolean intoFile) {
        long done = 0;
        while (done < len) {
            long pos = off + done;
            long inPage = Math.min(len - done, PAGE - (pos & (PAGE - 1)));
            long fo = pageOffset(pos / PAGE, intoFile);
            if (intoFile) {
                Libc.memcpy(memory.writableAddress(fo + (pos & (PAGE - 1)), inPage), host + done, inPage);
            } else if (fo < 0) {
                Libc.memset(host + done, 0, inPage);
            } else {
                Libc.memcpy(host + done, memory.readableAddress(fo + (pos & (PAGE - 1)), inPage), inPage);
            }
            done += inPage;
        }
    }

    public int readBytes(long off, byte[] dst, int dstOff, int len) {
        long n;
        synchronized (this) {
            if (off >= size) {
                return 0;
            }
            n = Math.min(len, size - off);
        }
        for (long done = 0; done < n; ) {
            long pos = off + done;
            int inPage = (int) Math.min(n - done, PAGE - (pos & (PAGE - 1)));
            long fo = pageOffset(pos / PAGE, false);
            if (fo < 0) {
                Arrays.fill(dst, dstOff + (int) done, dstOff + (int) done + inPage, (byte) 0);
            } else {
                memory.read(fo + (pos & (PAGE - 1)), dst, dstOff + (int) done, inPage);
            }
            done += inPage;
        }
        return (int) n;
    }

    public synchronized void writeBytes(long off, byte[] src, int srcOff, int len) {
        for (int done = 0; done < len; ) {
            long pos = off + done;
            int inPage = (int) Math.min(len - done, PAGE - (pos & (PAGE - 1)));
            long fo = pageOffset(pos / PAGE, true);
            memory.write(fo + (pos & (PAGE - 1)), src, srcOff + done, inPage);
            done += inPage;
        }
        size = Math.max(size, off + len);
    }

    /** Sets the size: pages past the end are freed, the tail of the last page zeroed. */
    public synchronized void truncate(long newSize) {
        truncate(newSize, memory::free);
    }

    /**
     * Like {@link #truncate(long)} for a file that is mapped: the pages past the end are kept aside
     * until {@link #releaseOrphans} (its last mapping is gone).
     */
    public synchronized void truncateMapped(long newSize) {
        truncate(newSize, this::orphan);
    }

    private void orphan(long off, long len) {
        int n = orphans == null ? 0 : orphans.length;
        orphans = orphans == null ? new long[2] : Arrays.copyOf(orphans, n + 2);
        orphans[n] = off;
        orphans[n + 1] = len;
    }

    /** Frees the pages kept aside by {@link #truncateMapped}, handing them to {@code freer}. */
    public synchronized void releaseOrphans(PageFreer freer) {
        if (orphans != null) {
            for (int i = 0; i < orphans.length; i += 2) {
                freer.free(orphans[i], orphans[i + 1]);
            }
            orphans = null;
        }
    }

    /** Where freed pages go: the memory file at once, or a memory manager that defers them. */
    @FunctionalInterface
    public interface PageFreer {
        void free(long off, long len);
    }

    private synchronized void truncate(long newSize, PageFreer freer) {
        if (newSize < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (newSize < size) {
            long firstGone = (newSize + PAGE - 1) / PAGE;
            // Pages allocated one after another usually sit side by side in the memory file: free
            // them as runs (one hole punched per run, not per page).
            long runStart = -1, runEnd = -1;
            for (long i = firstGone; i < pages.length; i++) {
                long p = pages[(int) i];
                if (p == 0) {
                    continue;
                }
                pages[(int) i] = 0;
                if (p - 1 != runEnd) {
                    if (runStart >= 0) {
                        freer.free(runStart, runEnd - runStart);
                    }
                    runStart = p - 1;
                }
                runEnd = p - 1 + PAGE;
            }
            if (runStart >= 0) {
                freer.free(runStart, runEnd - runStart);
            }
            long tail = newSize & (PAGE - 1);
            long fo = tail == 0 ? -1 : pageOffset(newSize / PAGE, false);
            if (fo >= 0) {
                memory.zero(fo + tail, PAGE - tail);
            }
        }
        size = newSize;
    }

    /** Frees everything (the last link and the last open file are gone). */
    public synchronized void release() {
        release(memory::free);
    }

    /** Frees everything, handing the pages to {@code freer} (the last mapping of the file is gone). */
    public synchronized void release(PageFreer freer) {
        truncate(0, freer);
        releaseOrphans(freer);
        pages = new long[0];
    }
}
