package dev.jvisor.kernel.vfs;

/** A process's view of the file tree: its root, its working directory, and its umask. */
public final class FsContext {
    public Location root;
    public Location cwd;
    public int umask = 022;

    public FsContext(Location root, Location cwd) {
        this.root = root;
        this.cwd = cwd;
    }
}
