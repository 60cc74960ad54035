package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** The inode of an anonymous pipe (pipefs): fstat shows it (S_IFIFO, its own inode number). */
public final class PipeInode extends Inode {
    private final Pipe pipe;
    private final Dentry dentry;

    PipeInode(PipeFs fs, long ino, Pipe pipe, int uid, int gid) {
        super(fs, ino, FileMode.S_IFIFO | 0600, uid, gid);
        this.pipe = pipe;
        this.dentry = new Dentry("pipe:[" + ino + "]", fs.mount().root, this);
    }

    public Pipe pipe() {
        return pipe;
    }

    /** Where /proc/PID/fd/N of this pipe leads. */
    public Location location() {
        return new Location(((PipeFs) fs).mount(), dentry);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return 0;
    }

    /** Reopening through /proc/PID/fd/N: a new open of the same pipe, with FIFO open rules. */
    @Override
    public FileDescription open(Task t, Location at, int flags) {
        return PipeFileDescription.open(t, pipe, this, null, flags);
    }
}
