package dev.jvisor.kernel.vfs;

/**
 * A directory whose entries may change behind the VFS's back (a bind mount that host processes write
 * too): the dentry cache asks it, on every lookup of a cached name, whether the cached child still is
 * what that name names, and drops the child if not.
 */
public interface RevalidatingDirectory {
    /**
     * Whether {@code cached}, found in the dentry cache under {@code name}, is still that entry; the
     * directory may refresh the child's attributes on the way. {@code t} may be null (mount setup).
     */
    boolean revalidate(dev.jvisor.kernel.Task t, String name, Inode cached);
}
