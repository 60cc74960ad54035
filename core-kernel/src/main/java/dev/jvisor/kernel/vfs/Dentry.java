package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.util.HashMap;

/**
 * A name in the file tree: its parent and the inode it names. Dentries give paths an identity
 * (mount points, getcwd, /proc/self/fd) and cache lookups; the VFS keeps them in step with the
 * directories it changes.
 */
public final class Dentry {
    private String name;
    private Dentry parent;
    private final Inode inode;
    private final HashMap<String, Dentry> children = new HashMap<>();

    public Dentry(String name, Dentry parent, Inode inode) {
        this.name = name;
        this.parent = parent;
        this.inode = inode;
    }

    public String name() {
        return name;
    }

    /** The parent, or null for the root of a file system. */
    public Dentry parent() {
        return parent;
    }

    public Inode inode() {
        return inode;
    }

    /** The child dentry for {@code name}, looked up through the inode on a cache miss; null if none. */
    public synchronized Dentry child(Task t, String name) {
        if (inode instanceof DynamicDirectory) {
            // Computed on every lookup (procfs): never cached, so an entry that is gone is gone.
            Inode i = inode.lookup(t, name);
            return i == null ? null : new Dentry(name, this, i);
        }
        Dentry d = children.get(name);
        if (d != null) {
            if (!(inode instanceof RevalidatingDirectory r) || r.revalidate(t, name, d.inode())) {
                return d;
            }
            // The name now names another object (or none): forget the stale child.
            children.remove(name);
        }
        Inode i = inode.lookup(t, name);
        if (i == null) {
            return null;
        }
        d = new Dentry(name, this, i);
        children.put(name, d);
        return d;
    }

    /** Forgets a child (after unlink or rename). */
    public synchronized void drop(String name) {
        children.remove(name);
    }

    /** Moves this dentry under another parent with another name (rename). */
    synchronized void moveTo(Dentry newParent, String newName) {
        parent.drop(name);
        newParent.drop(newName);
        synchronized (newParent) {
            newParent.children.put(newName, this);
        }
        this.parent = newParent;
        this.name = newName;
    }
}
