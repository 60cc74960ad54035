package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.MappingTracked;
import dev.jvisor.kernel.mm.PageRefs;
import dev.jvisor.kernel.mm.SharedPages;
import dev.jvisor.kernel.vfs.Clocks;
import dev.jvisor.kernel.vfs.FileData;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.Location;

/**
 * A regular file of an in-memory file system; its bytes live in the memory file. As Linux's shmem,
 * the bytes are freed once the file has no name (nlink 0), no open file description and no VMA
 * mapping it in any address space (private mappings count too: their pages are copied from the
 * file on first touch).
 */
public class MemFile extends Inode implements MappingTracked, SharedPages {
    protected FileData data;
    private int opens;
    /** VMAs mapping this file, over every address space (kept by the memory managers). */
    private int mappings;
    /**
     * Set only in files restored from a snapshot taken before mappings were counted (the field's old
     * meaning: "was mapped once"): such a file's VMAs are not in {@link #mappings}, so its contents stay
     * until the sandbox exits, as they did then. New code never sets it.
     */
    private boolean mapped;

    public MemFile(MemFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFREG | (perm & 07777), uid, gid);
        this.data = new FileData(fs.memory());
    }

    public FileData data(Task t) {
        return data;
    }

    @Override
    public FileData sharedData() {
        return data(null);
    }

    @Override
    public long size(Task t) {
        return data(t).size();
    }

    @Override
    protected long allocatedBytes(Task t) {
        return data(t).allocatedBytes();
    }

    @Override
    public long read(Task t, long off, long addr, long len) {
        long n = data(t).read(t, off, addr, len);
        atimeNs = Clocks.realtimeNanos();
        return n;
    }

    @Override
    public long write(Task t, long off, long addr, long len) {
        len = sealedWriteLength(off, len);
        long n = data(t).write(t, off, addr, len);
        mtimeNs = ctimeNs = Clocks.realtimeNanos();
        return n;
    }

    // ---- memfd seals (fcntl F_ADD_SEALS / F_GET_SEALS) -------------------------------------------

    public static final int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8,
            F_SEAL_FUTURE_WRITE = 0x10, F_SEAL_EXEC = 0x20;
    public static final int ALL_SEALS = 0x3f;
    private static final long PAGE = 4096;

    /** The seals of this file; a tmpfs file starts sealed against sealing (only memfds may be sealed). */
    private int seals = F_SEAL_SEAL;

    public synchronized int seals() {
        return seals;
    }

    /** Sets the seals (the caller checked them as memfd_add_seals does). */
    public synchronized void setSeals(int s) {
        seals = s;
    }

    /**
     * What of a write of {@code len} bytes at {@code off} the seals let through (shmem_write_begin):
     * F_SEAL_WRITE / F_SEAL_FUTURE_WRITE refuse it (EPERM); F_SEAL_GROW stops it at the first page
     * piece that would end past the size (EPERM if that is the first).
     */
    private synchronized long sealedWriteLength(long off, long len) {
        if ((seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_GROW)) == 0 || len <= 0) {
            return len;
        }
        if ((seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) {
            throw new SyscallException(Errno.EPERM);
        }
        long size = data.size();
        long allowed = 0;
        for (long pos = off; pos < off + len; ) {
            long chunkEnd = Math.min(off + len, (pos / PAGE + 1) * PAGE);
            if (chunkEnd > size) {
                break;
            }
            allowed = chunkEnd - off;
            pos = chunkEnd;
        }
        if (allowed == 0) {
            throw new SyscallException(Errno.EPERM);
        }
        return allowed;
    }

    /** shmem_setattr: a size change the seals forbid is EPERM. */
    private synchronized void checkResize(long newSize) {
        long size = data.size();
        if (newSize < size && (seals & F_SEAL_SHRINK) != 0 || newSize > size && (seals & F_SEAL_GROW) != 0) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** fallocate(2) up to {@code end}: past the size with F_SEAL_GROW is EPERM, even with KEEP_SIZE. */
    public synchronized void checkAllocate(long end) {
        if ((seals & F_SEAL_GROW) != 0 && end > data.size()) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** F_SEAL_EXEC: the execute bits can no longer change (EPERM). */
    @Override
    public void chmod(Task t, int newMode) {
        synchronized (this) {
            if ((seals & F_SEAL_EXEC) != 0 && ((mode ^ newMode) & 0111) != 0) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        super.chmod(t, newMode);
    }

    @Override
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        return data(t).readBytes(off, dst, dstOff, len);
    }

    @Override
    public void truncate(Task t, long size) {
        checkResize(size);
        FileData d = data(t);
        boolean shrinksMapped;
        synchronized (this) {
            shrinksMapped = (mappings > 0 || mapped) && size < d.size();
        }
        if (shrinksMapped) {
            // As Linux's truncate_pagecache: mappings lose the pages past the new end (an access
            // there is SIGBUS), and the pages are freed only once nothing maps the file.
            d.truncateMapped(size);
            if (t != null) {
                t.kernel.forEachMemoryManager(mm -> mm.fileShrunk(this, size));
            }
        } else {
            d.truncate(size);
        }
        mtimeNs = ctimeNs = Clocks.realtimeNanos();
    }

    @Override
    public synchronized FileDescription open(Task t, Location at, int flags) {
        opens++;
        return new OpenMemFile(at, flags, this);
    }

    /** An open in-memory file: closing the last one frees an unlinked file's contents. */
    public static final class OpenMemFile extends InodeFileDescription {
        private final MemFile file;

        OpenMemFile(Location at, int flags, MemFile file) {
            super(at, flags);
            this.file = file;
        }

        @Override
        public void release() {
            file.closed();
        }
    }

    @Override
    public synchronized void mappingAdded() {
        mappings++;
    }

    @Override
    public synchronized void mappingRemoved(PageRefs.Freer freer) {
        if (mappings <= 0) {
            if (mapped) {
                return; // a VMA from an older snapshot, never counted
            }
            throw new IllegalStateException("mapping count of inode " + ino + " below zero");
        }
        mappings--;
        if (unused()) {
            data.release(freer::free);
        } else if (mappings == 0) {
            data.releaseOrphans(freer::free);
        }
    }

    /** VMAs that map this file now, over every address space. */
    public synchronized int mappings() {
        return mappings;
    }

    /** No name, no open file description, no mapping: nothing can reach the contents any more. */
    private boolean unused() {
        return nlink == 0 && opens == 0 && mappings == 0 && !mapped;
    }

    /** A file no directory names (memfd_create): st_nlink is 0 from the start. */
    public synchronized void markUnnamed() {
        nlink = 0;
    }

    /** open(O_TMPFILE) without O_EXCL: linkat(2) may give this unnamed file a name (Linux's I_LINKABLE). */
    private boolean linkable;

    public synchronized void setLinkable(boolean on) {
        linkable = on;
    }

    /** Whether a file with no name left may be linked again: only an O_TMPFILE file, once. */
    public synchronized boolean linkable() {
        return linkable;
    }

    @Override
    public synchronized void addLink() {
        super.addLink();
        linkable = false;
    }

    @Override
    public synchronized void dropLink() {
        super.dropLink();
        if (unused()) {
            data.release();
        }
    }

    private synchronized void closed() {
        opens--;
        if (unused()) {
            data.release();
        }
    }
}
