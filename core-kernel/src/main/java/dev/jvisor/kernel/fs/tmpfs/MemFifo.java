package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.pipe.Pipe;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** A named pipe (mkfifo) in an in-memory file system: its opens share one {@link Pipe}. */
public class MemFifo extends Inode {
    private Pipe pipe;

    public MemFifo(MemFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFIFO | (perm & 07777), uid, gid);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        return PipeFileDescription.open(t, pipe(), this, at, flags);
    }

    private synchronized Pipe pipe() {
        if (pipe == null) {
            pipe = new Pipe();
        }
        return pipe;
    }
}
