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

    /**
     * statfs(2) figures for the object {@code at} of this file system, or null to report the sandbox's
     * memory (file systems that live in the memory file).
     */
    public FsStats statfs(dev.jvisor.kernel.Task t, Inode at) {
        return null;
    }

    /** The host path this file system serves (a bind mount), or null if it lives in the sandbox. */
    public String hostSource() {
        return null;
    }

    public synchronized long nextIno() {
        return nextIno++;
    }
}
