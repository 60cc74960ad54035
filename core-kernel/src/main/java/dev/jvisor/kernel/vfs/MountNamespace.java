package dev.jvisor.kernel.vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** The sandbox's mount tree: the root mount and what is mounted where. */
public final class MountNamespace {
    private final Mount root;
    private final HashMap<Dentry, Mount> mountedOn = new HashMap<>();
    private final List<Mount> mounts = new ArrayList<>();

    public MountNamespace(FileSystem rootFs, boolean readOnly, String source) {
        root = new Mount(rootFs, new Dentry("/", null, rootFs.root()), null, null, readOnly, source);
        mounts.add(root);
    }

    public Mount root() {
        return root;
    }

    public Location rootLocation() {
        return new Location(root, root.root);
    }

    /** Mounts {@code fs} on {@code at}; later lookups of that point see the new file system. */
    public synchronized Mount mount(Location at, FileSystem fs, boolean readOnly, String source) {
        Mount m = new Mount(fs, new Dentry(at.dentry.name(), null, fs.root()), at.mount, at.dentry, readOnly, source);
        mountedOn.put(at.dentry, m);
        mounts.add(m);
        return m;
    }

    /** If something is mounted on {@code l}, the root of the topmost such mount; else {@code l}. */
    public Location crossMounts(Location l) {
        Location cur = l;
        Mount m;
        while ((m = mountedOn(cur.dentry)) != null) {
            cur = new Location(m, m.root);
        }
        return cur;
    }

    /** The mount whose mount point is {@code d}, or null. */
    public synchronized Mount mountedOn(Dentry d) {
        return mountedOn.get(d);
    }

    public synchronized List<Mount> mounts() {
        return new ArrayList<>(mounts);
    }

    /**
     * Every mount in mount order, as a snapshot manifest records it: destination (a path from the
     * namespace's root), file system type, host source (bind mounts) and read-only flag.
     */
    public List<MountRecord> records() {
        Location top = rootLocation();
        List<MountRecord> out = new ArrayList<>();
        for (Mount m : mounts()) {
            String dest = m.parent == null ? "/" : PathResolver.pathOf(new Location(m.parent, m.mountpoint), top);
            out.add(new MountRecord(dest, m.fs.type(), m.fs.hostSource(), m.readOnly));
        }
        return out;
    }
}
