package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.SetAttr;
import dev.jvisor.gofer.Timespec;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/**
 * A file of a bind mount: named by its parent directory and its name (so its path below the export
 * root follows renames of any ancestor), with the host's attributes as last fetched. Attribute
 * changes (chmod, chown, utimes) go to the host, and the host's answer is what the inode keeps.
 * Once its name is removed (unlink, rename over it, or the host removing it) the inode has no path:
 * operations by path give ENOENT, while open files keep working on their own fids.
 */
public abstract class GoferInode extends Inode {
    /** The directory holding this name; null for the mount's root and for removed files. */
    private GoferDir parent;
    private String name;
    private boolean removed;
    protected long size;
    protected long blocks;
    protected int blksize = 4096;

    GoferInode(GoferFs fs, GoferDir parent, String name, Attr a) {
        super(fs, a.ino(), a.mode(), a.uid(), a.gid());
        this.parent = parent;
        this.name = name;
        apply(a);
    }

    /** The inode for what the host has at {@code parent}/{@code name}, by its type. */
    static GoferInode of(GoferFs fs, GoferDir parent, String name, Attr a) {
        return switch (a.mode() & Attr.S_IFMT) {
            case Attr.S_IFDIR -> new GoferDir(fs, parent, name, a);
            case Attr.S_IFREG -> new GoferFile(fs, parent, name, a);
            case Attr.S_IFLNK -> {
                String where = parent == null ? "" : parent.path();
                String target = fs.session().readlink(where == null ? name : GoferSession.join(where, name));
                yield new GoferSymlink(fs, parent, name, a, target);
            }
            default -> new GoferSpecial(fs, parent, name, a);
        };
    }

    GoferFs gofer() {
        return (GoferFs) fs;
    }

    GoferSession session() {
        return gofer().session();
    }

    /** The path below the export root ("" for the root), or null once the name was removed. */
    String path() {
        synchronized (fs) {
            if (removed) {
                return null;
            }
            if (parent == null) {
                return "";
            }
            String p = parent.path();
            return p == null ? null : GoferSession.join(p, name);
        }
    }

    /** The path, or ENOENT if the name was removed. */
    String livePath() {
        String p = path();
        if (p == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        return p;
    }

    /** The last name this inode had, for messages about removed files. */
    String lastName() {
        synchronized (fs) {
            return name;
        }
    }

    /** The name went away; the inode lives on for whoever still holds it. */
    void markRemoved() {
        synchronized (fs) {
            removed = true;
            parent = null;
        }
    }

    /** A rename moved this name. */
    void moveTo(GoferDir newParent, String newName) {
        synchronized (fs) {
            parent = newParent;
            name = newName;
        }
    }

    /** Takes the host's attributes. */
    synchronized void apply(Attr a) {
        setAttributes(a.mode(), a.uid(), a.gid(), (int) Math.min(a.nlink(), Integer.MAX_VALUE), nanos(a.atime()),
                nanos(a.mtime()), nanos(a.ctime()), a.rdev());
        size = a.size();
        blocks = a.blocks();
        blksize = a.blksize() > 0 ? a.blksize() : 4096;
    }

    static long nanos(Timespec t) {
        return t.sec() * 1_000_000_000L + t.nsec();
    }

    private static Timespec timespec(long ns) {
        return new Timespec(Math.floorDiv(ns, 1_000_000_000L), (int) Math.floorMod(ns, 1_000_000_000L));
    }

    /** Fetches the host's attributes now. */
    Attr refresh() {
        Attr a = session().stat(livePath());
        apply(a);
        return a;
    }

    /** struct stat from the attributes held, without asking the host. */
    byte[] cachedStat(Task t) {
        return super.stat(t);
    }

    /** stat(2) on a path: the host's attributes now (host-side changes show). */
    @Override
    public byte[] stat(Task t) {
        refresh();
        return cachedStat(t);
    }

    @Override
    public synchronized long size(Task t) {
        return size;
    }

    @Override
    protected synchronized long allocatedBytes(Task t) {
        return blocks * 512;
    }

    @Override
    protected synchronized int blockSize() {
        return blksize;
    }

    /** Applies {@code changes} on the host; the inode takes the attributes the host reports after them. */
    protected void setattr(SetAttr changes) {
        apply(session().setattr(livePath(), changes));
    }

    @Override
    public void chmod(Task t, int newMode) {
        setattr(SetAttr.mode(newMode & 07777));
    }

    @Override
    public void chown(Task t, int newUid, int newGid) {
        int mask = (newUid >= 0 ? SetAttr.UID : 0) | (newGid >= 0 ? SetAttr.GID : 0);
        if (mask != 0) {
            setattr(new SetAttr(mask, 0, Math.max(newUid, 0), Math.max(newGid, 0), 0, null, null));
        }
    }

    @Override
    public void setTimes(Task t, long atime, long mtime) {
        int mask = (atime >= 0 ? SetAttr.ATIME : 0) | (mtime >= 0 ? SetAttr.MTIME : 0);
        if (mask != 0) {
            setattr(new SetAttr(mask, 0, 0, 0, 0, atime >= 0 ? timespec(atime) : null,
                    mtime >= 0 ? timespec(mtime) : null));
        }
    }

    /** Whether {@code a} describes the same host object as this inode (same inode number and type). */
    boolean sameObject(Attr a) {
        return a.ino() == ino && (a.mode() & FileMode.S_IFMT) == type();
    }
}
