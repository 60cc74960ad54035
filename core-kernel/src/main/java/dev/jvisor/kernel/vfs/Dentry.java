package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.util.HashMap;

/**
 * A name in the file tree: its parent and the inode it names. Dentries give paths an identity
 * (mount points, getcwd, /proc/self/fd) and cache lookups; the VFS keeps them in step with the
 * directories it changes.
 */
public final class Dentry {
    /** Volatile, not locked: read on every event and path print, changed only by rename. */
    private volatile String name;
    private volatile Dentry parent;
    private final Inode inode;
    private final HashMap<String, Dentry> children = new HashMap<>();
    /** The name is gone (unlink, rmdir, renamed over) or never was (O_TMPFILE): Linux's d_unlinked. */
    private volatile boolean unlinked;

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

    /** A dentry for an object that no directory names (an O_TMPFILE file): unlinked from the start. */
    public static Dentry unnamed(String name, Dentry parent, Inode inode) {
        Dentry d = new Dentry(name, parent, inode);
        d.unlinked = true;
        return d;
    }

    /** Forgets a child (after unlink or rename). */
    public synchronized void drop(String name) {
        children.remove(name);
    }

    /** Whether this name was removed: open files that refer to it reach a file no path reaches. */
    public boolean unlinked() {
        return unlinked;
    }

    /** The name was removed (unlink, rmdir, a rename over it): what d_delete does to the dentry. */
    public void markUnlinked() {
        unlinked = true;
        Dentry p = parent;
        if (p != null) {
            p.forget(name, this);
        }
    }

    /** Drops {@code name} from the cache if it still maps to {@code d}. */
    private synchronized void forget(String n, Dentry d) {
        if (children.get(n) == d) {
            children.remove(n);
        }
    }

    private synchronized void put(String n, Dentry d) {
        children.put(n, d);
    }

    /**
     * Moves this dentry under another parent with another name (rename, Linux's d_move): open files
     * and working directories that refer to it follow it, so their paths show the new name.
     */
    public void moveTo(Dentry newParent, String newName) {
        Dentry old = parent;
        if (old != null) {
            old.forget(name, this);
        }
        newParent.put(newName, this);
        parent = newParent;
        name = newName;
    }

    /** RENAME_EXCHANGE (Linux's d_exchange): the two dentries swap names and parents. */
    public static void exchange(Dentry a, Dentry b) {
        Dentry pa = a.parent, pb = b.parent;
        String na = a.name, nb = b.name;
        pa.put(na, b);
        pb.put(nb, a);
        a.parent = pb;
        a.name = nb;
        b.parent = pa;
        b.name = na;
    }
}
