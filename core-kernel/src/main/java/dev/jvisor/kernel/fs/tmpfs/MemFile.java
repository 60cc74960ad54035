package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Clocks;
import dev.jvisor.kernel.vfs.FileData;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.Location;

/** A regular file of an in-memory file system; its bytes live in the memory file. */
public class MemFile extends Inode {
    protected FileData data;
    private int opens;
    /**
     * Some mapping has referred to the contents. Mappings are not counted yet (the memory manager has
     * no unmap hook), so such a file's pages are kept until the sandbox ends rather than freed under a
     * live mapping when the last name and fd are gone.
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
        long n = data(t).write(t, off, addr, len);
        mtimeNs = ctimeNs = Clocks.realtimeNanos();
        return n;
    }

    @Override
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        return data(t).readBytes(off, dst, dstOff, len);
    }

    @Override
    public void truncate(Task t, long size) {
        data(t).truncate(size);
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

    /** mmap(2) of this file: its contents must outlive its names and fds (see {@link #mapped}). */
    public synchronized void pinForMapping() {
        mapped = true;
    }

    /** A file no directory names (memfd_create): st_nlink is 0 from the start. */
    public synchronized void markUnnamed() {
        nlink = 0;
    }

    synchronized void addLink() {
        nlink++;
        ctimeNs = Clocks.realtimeNanos();
    }

    synchronized void dropLink() {
        nlink--;
        ctimeNs = Clocks.realtimeNanos();
        if (nlink == 0 && opens == 0 && !mapped) {
            data.release();
        }
    }

    private synchronized void closed() {
        opens--;
        if (nlink == 0 && opens == 0 && !mapped) {
            data.release();
        }
    }
}
