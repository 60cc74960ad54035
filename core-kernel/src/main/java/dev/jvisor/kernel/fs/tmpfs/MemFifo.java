package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** A named pipe (mkfifo) in an in-memory file system. Opening it needs the pipe implementation. */
public class MemFifo extends Inode {
    public MemFifo(MemFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFIFO | (perm & 07777), uid, gid);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        throw new SyscallException(Errno.ENXIO);
    }
}
