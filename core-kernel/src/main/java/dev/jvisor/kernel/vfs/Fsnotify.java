package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import java.util.IdentityHashMap;

/**
 * Where file events come from (Linux's include/linux/fsnotify.h): the syscalls call these hooks
 * after they changed or used an object, at the VFS level, so every file system has events. A hook
 * hands the event to the watches ({@link InodeWatch}) on the object's inode and, with the object's
 * name, on its parent directory, as fsnotify_parent does; directory-entry events (create, delete,
 * moves) go to the directory alone. IN_ISDIR marks a directory subject.
 *
 * <p>An inode goes away for its watches (IN_DELETE_SELF) when its last name is gone and nothing
 * holds it any more (no open file, working directory or root), as on Linux, where that is when the
 * last reference to its dentry drops.
 *
 * <p>Every hook is cheap when nothing watches: one field read per inode.
 */
public final class Fsnotify {
    private Fsnotify() {}

    public static final int IN_ACCESS = 0x1, IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8,
            IN_CLOSE_NOWRITE = 0x10, IN_OPEN = 0x20, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_CREATE = 0x100,
            IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800, IN_UNMOUNT = 0x2000,
            IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000, IN_ISDIR = 0x40000000;
    /** Every event a watch may ask for. */
    public static final int IN_ALL_EVENTS = 0xfff;

    // ---- delivery -------------------------------------------------------------------------------

    private static boolean watched(Inode i) {
        InodeWatches w = i.watches();
        return w != null && !w.isEmpty();
    }

    private static void toInode(Inode i, int mask, String name, int cookie, boolean unlinked) {
        InodeWatches w = i.watches();
        if (w == null) {
            return;
        }
        for (InodeWatch x : w.snapshot()) {
            x.deliver(mask, name, cookie, unlinked);
        }
    }

    /**
     * An event on the object at {@code d}: to its parent directory's watches with its name, then to
     * its own (fsnotify_parent). {@code path} says the event came through an open file.
     */
    private static void onObject(Dentry d, int mask, boolean path) {
        Inode inode = d.inode();
        Dentry parent = d.parent();
        Inode dir = parent != null ? parent.inode() : null;
        if (!watched(inode) && (dir == null || !watched(dir))) {
            return;
        }
        if (inode.isDir()) {
            mask |= IN_ISDIR;
        }
        boolean unlinked = path && d.unlinked();
        if (dir != null) {
            toInode(dir, mask, d.name(), 0, unlinked);
        }
        toInode(inode, mask, null, 0, unlinked);
    }

    /** An event on the inode alone (fsnotify_inode: link counts, IN_MOVE_SELF, IN_DELETE_SELF). */
    private static void onInode(Inode inode, int mask) {
        if (watched(inode)) {
            toInode(inode, inode.isDir() ? mask | IN_ISDIR : mask, null, 0, false);
        }
    }

    /** A directory-entry event (fsnotify_name): to the directory's watches only, with the name. */
    private static void onEntry(Inode dir, Inode child, int mask, String name, int cookie) {
        if (watched(dir)) {
            toInode(dir, child.isDir() ? mask | IN_ISDIR : mask, name, cookie, false);
        }
    }

    private static Location fileLocation(FileDescription f) {
        return f instanceof PathDescription ? null : f.location();
    }

    // ---- open files -----------------------------------------------------------------------------

    /** read(2) and friends moved bytes (fsnotify_access). */
    public static void access(FileDescription f) {
        Location l = fileLocation(f);
        if (l != null) {
            onObject(l.dentry, IN_ACCESS, true);
        }
    }

    /** write(2) and friends moved bytes (fsnotify_modify). */
    public static void modify(FileDescription f) {
        Location l = fileLocation(f);
        if (l != null) {
            onObject(l.dentry, IN_MODIFY, true);
        }
    }

    /** open(2) made {@code f} (fsnotify_open); O_PATH opens have no events. */
    public static void open(FileDescription f) {
        Location l = fileLocation(f);
        if (l != null) {
            onObject(l.dentry, IN_OPEN, true);
        }
    }

    /**
     * The last reference to {@code f} went (fsnotify_close): IN_CLOSE_WRITE or IN_CLOSE_NOWRITE, then,
     * if that was the last user of an inode with no name left, IN_DELETE_SELF.
     */
    public static void close(FileDescription f) {
        Location l = fileLocation(f);
        if (l == null) {
            return;
        }
        onObject(l.dentry, FileMode.writable(f.flags()) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE, true);
        Inode i = l.inode();
        if (i.nlink() == 0 && watched(i)) {
            maybeGone(i.watches().kernel(), i);
        }
    }

    // ---- attributes -----------------------------------------------------------------------------

    /** chmod, chown, setxattr, removexattr: IN_ATTRIB. */
    public static void attrib(Location l) {
        onObject(l.dentry, IN_ATTRIB, false);
    }

    /** truncate, ftruncate, O_TRUNC: the size changed (fsnotify_change with ATTR_SIZE: IN_MODIFY). */
    public static void truncated(Location l) {
        onObject(l.dentry, IN_MODIFY, false);
    }

    /** utimes and friends: both times set is IN_ATTRIB, the access time alone IN_ACCESS, mtime alone IN_MODIFY. */
    public static void timesChanged(Location l, boolean atime, boolean mtime) {
        int mask = atime && mtime ? IN_ATTRIB : atime ? IN_ACCESS : mtime ? IN_MODIFY : 0;
        if (mask != 0) {
            onObject(l.dentry, mask, false);
        }
    }

    // ---- directory entries ----------------------------------------------------------------------

    /** A name was made in {@code dir} for a new object (open O_CREAT, mkdir, mknod, symlink, bind). */
    public static void created(Location dir, String name, Inode child) {
        onEntry(dir.inode(), child, IN_CREATE, name, 0);
    }

    /** link(2): the inode's link count changed (IN_ATTRIB), and {@code dir} has a new name (IN_CREATE). */
    public static void linked(Inode target, Location dir, String name) {
        onInode(target, IN_ATTRIB);
        onEntry(dir.inode(), target, IN_CREATE, name, 0);
    }

    /**
     * unlink(2) or rmdir(2) removed {@code name} from {@code dir}: a file's link count changed
     * (IN_ATTRIB); an inode nothing holds any more is gone (IN_DELETE_SELF, then its watches end);
     * then the directory hears IN_DELETE.
     */
    public static void removed(Task t, Location dir, String name, Inode victim) {
        if (!victim.isDir()) {
            onInode(victim, IN_ATTRIB);
        }
        if (victim.nlink() == 0 && watched(victim)) {
            maybeGone(t.kernel, victim);
        }
        onEntry(dir.inode(), victim, IN_DELETE, name, 0);
    }

    /**
     * rename(2) (fsnotify_move): IN_MOVED_FROM in the old directory and IN_MOVED_TO in the new one with
     * one cookie; the replaced object's link count changed; the moved object hears IN_MOVE_SELF;
     * then the replaced object, if nothing holds it, is gone.
     */
    public static void moved(Task t, Inode fromDir, String fromName, Inode toDir, String toName, Inode moved,
            Inode replaced) {
        if (watched(fromDir) || watched(toDir)) {
            int cookie = t.kernel.nextFsnotifyCookie();
            onEntry(fromDir, moved, IN_MOVED_FROM, fromName, cookie);
            onEntry(toDir, moved, IN_MOVED_TO, toName, cookie);
        }
        if (replaced != null) {
            onInode(replaced, IN_ATTRIB);
        }
        onInode(moved, IN_MOVE_SELF);
        if (replaced != null && replaced.nlink() == 0 && watched(replaced)) {
            maybeGone(t.kernel, replaced);
        }
    }

    // ---- going away -----------------------------------------------------------------------------

    /** If nothing holds {@code i} any more: IN_DELETE_SELF, and its watches end (IN_IGNORED). */
    private static void maybeGone(Kernel k, Inode i) {
        if (k != null && held(k, i)) {
            return;
        }
        onInode(i, IN_DELETE_SELF);
        InodeWatches w = i.watches();
        if (w != null) {
            for (InodeWatch x : w.snapshot()) {
                x.inodeGone();
            }
        }
    }

    /** Whether an open file (O_PATH included), a working directory or a root still refers to {@code i}. */
    private static boolean held(Kernel k, Inode i) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        for (Task t : k.tasks()) {
            FsContext fc = t.fsContext();
            if (fc != null && (fc.cwd != null && fc.cwd.inode() == i || fc.root != null && fc.root.inode() == i)) {
                return true;
            }
            FdTable fds = t.fds();
            if (fds == null || seen.put(fds, Boolean.TRUE) != null) {
                continue;
            }
            for (FileDescription f : fds.snapshot().values()) {
                Location l = f.location();
                if (l != null && l.inode() == i) {
                    return true;
                }
            }
        }
        return false;
    }
}
