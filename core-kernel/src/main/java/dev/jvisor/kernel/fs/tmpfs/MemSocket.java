package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/**
 * A socket file (S_IFSOCK) in an in-memory file system, made by an AF_UNIX bind to a path (or by
 * mknod). While the socket that bound it is open, connect(2) and sendto(2) to the path reach that
 * socket; opening it is ENXIO, as on Linux.
 */
public class MemSocket extends Inode {
    /** The bound socket ({@code dev.jvisor.kernel.net.UnixSocket}), or null: nobody listens here. */
    private Object bound;

    public MemSocket(MemFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFSOCK | (perm & 07777), uid, gid);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return 0;
    }

    public synchronized Object bound() {
        return bound;
    }

    public synchronized void setBound(Object socket) {
        this.bound = socket;
    }
}
