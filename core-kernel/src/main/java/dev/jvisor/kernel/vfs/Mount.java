package dev.jvisor.kernel.vfs;

/** A file system mounted at a point of another mount (or the root mount). */
public final class Mount {
    public final FileSystem fs;
    public final Dentry root;
    /** The mount this one sits on, and where; null for the root mount. */
    public final Mount parent;
    public final Dentry mountpoint;
    public final boolean readOnly;
    /** What /proc/mounts shows as the source ("none", the host path of a bind mount...). */
    public final String source;

    public Mount(FileSystem fs, Dentry root, Mount parent, Dentry mountpoint, boolean readOnly, String source) {
        this.fs = fs;
        this.root = root;
        this.parent = parent;
        this.mountpoint = mountpoint;
        this.readOnly = readOnly;
        this.source = source;
    }
}
