package dev.jvisor.kernel.vfs;

/** A point in the mount tree: a dentry as seen through a particular mount. */
public final class Location {
    public final Mount mount;
    public final Dentry dentry;

    public Location(Mount mount, Dentry dentry) {
        this.mount = mount;
        this.dentry = dentry;
    }

    public Inode inode() {
        return dentry.inode();
    }

    public boolean sameAs(Location o) {
        return o != null && mount == o.mount && dentry == o.dentry;
    }
}
