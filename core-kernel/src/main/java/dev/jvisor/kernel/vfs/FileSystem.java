package dev.jvisor.kernel.vfs;

/** A mounted file system instance: its device number, type name and inode numbering. */
public abstract class FileSystem {
    private final long dev;
    private long nextIno = 1;

    protected FileSystem(long dev) {
        this.dev = dev;
    }

    public long dev() {
        return dev;
    }

    /** The type name /proc/mounts and statfs show ("tmpfs", "proc", "overlay"...). */
    public abstract String type();

    /** f_type for statfs(2). */
    public abstract long magic();

    public abstract Inode root();

    public synchronized long nextIno() {
        return nextIno++;
    }
}
