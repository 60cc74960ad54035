package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Clocks;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.DirectoryDescription;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A directory of an in-memory file system: a sorted map of names to inodes. */
public class MemDir extends Inode {
    protected final TreeMap<String, Inode> entries = new TreeMap<>();

    public MemDir(MemFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFDIR | (perm & 07777), uid, gid);
        nlink = 2;
    }

    protected MemFs memFs() {
        return (MemFs) fs;
    }

    @Override
    public long size(Task t) {
        return 4096;
    }

    @Override
    public synchronized Inode lookup(Task t, String name) {
        return entries.get(name);
    }

    @Override
    public synchronized List<DirEntry> readdir(Task t) {
        List<DirEntry> out = new ArrayList<>();
        for (Map.Entry<String, Inode> e : entries.entrySet()) {
            out.add(new DirEntry(e.getKey(), e.getValue().ino(), FileMode.dtype(e.getValue().mode())));
        }
        return out;
    }

    /** Adds a new entry; EEXIST if the name is taken. */
    protected synchronized void add(Task t, String name, Inode child) {
        if (entries.containsKey(name)) {
            throw new SyscallException(Errno.EEXIST);
        }
        entries.put(name, child);
        if (child.isDir()) {
            nlink++;
        }
        touch();
    }

    /** Builds a file system's initial tree (no permission checks, no timestamps). */
    public synchronized void addEntry(String name, Inode child) {
        entries.put(name, child);
        if (child.isDir()) {
            nlink++;
        }
    }

    protected void touch() {
        mtimeNs = ctimeNs = Clocks.realtimeNanos();
    }

    private int uidOf(Task t) {
        return t.threadGroup().creds.fsuid;
    }

    private int gidOf(Task t) {
        return (mode & FileMode.S_ISGID) != 0 ? gid : t.threadGroup().creds.fsgid;
    }

    @Override
    public Inode create(Task t, String name, int mode) {
        MemFile f = new MemFile(memFs(), fs.nextIno(), mode & 07777, uidOf(t), gidOf(t));
        add(t, name, f);
        return f;
    }

    @Override
    public Inode mkdir(Task t, String name, int mode) {
        MemDir d = new MemDir(memFs(), fs.nextIno(), mode & 07777, uidOf(t), gidOf(t));
        add(t, name, d);
        return d;
    }

    @Override
    public Inode symlink(Task t, String name, String target) {
        MemSymlink s = new MemSymlink(memFs(), fs.nextIno(), target, uidOf(t), gidOf(t));
        add(t, name, s);
        return s;
    }

    @Override
    public Inode mknod(Task t, String name, int mode, long dev) {
        Inode n;
        switch (mode & FileMode.S_IFMT) {
            case 0, FileMode.S_IFREG -> {
                return create(t, name, mode);
            }
            case FileMode.S_IFIFO -> n = new MemFifo(memFs(), fs.nextIno(), mode & 07777, uidOf(t), gidOf(t));
            case FileMode.S_IFSOCK -> n = new MemSocket(memFs(), fs.nextIno(), mode & 07777, uidOf(t), gidOf(t));
            case FileMode.S_IFCHR, FileMode.S_IFBLK -> n = new MemDevice(memFs(), fs.nextIno(), mode, dev, uidOf(t),
                    gidOf(t));
            default -> throw new SyscallException(Errno.EPERM);
        }
        add(t, name, n);
        return n;
    }

    @Override
    public void link(Task t, String name, Inode target) {
        if (target.isDir()) {
            throw new SyscallException(Errno.EPERM);
        }
        if (target.fs() != fs) {
            throw new SyscallException(Errno.EXDEV);
        }
        add(t, name, target);
        target.addLink();
    }

    @Override
    public synchronized void unlink(Task t, String name, boolean dir) {
        Inode child = lookup(t, name);
        if (child == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        checkRemovable(t, child, dir);
        entries.remove(name);
        if (child.isDir()) {
            nlink--;
            child.clearLinks();
        } else {
            child.dropLink();
        }
        touch();
        removed(t, name);
    }

    /** A name left this directory (unlink or rename away); the overlay records a whiteout. */
    protected void removed(Task t, String name) {}

    protected void checkRemovable(Task t, Inode child, boolean dir) {
        if (dir && !child.isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (!dir && child.isDir()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (child instanceof MemDir d && !d.isEmpty(t)) {
            throw new SyscallException(Errno.ENOTEMPTY);
        }
    }

    public synchronized boolean isEmpty(Task t) {
        return entries.isEmpty();
    }

    @Override
    public void rename(Task t, String name, Inode newDir, String newName) {
        if (!(newDir instanceof MemDir to) || newDir.fs() != fs) {
            throw new SyscallException(Errno.EXDEV);
        }
        synchronized (fs) {
            Inode child = lookup(t, name);
            if (child == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            Inode victim = to.lookup(t, newName);
            if (victim == child) {
                return;
            }
            if (victim != null) {
                if (child.isDir() && !victim.isDir()) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
                if (!child.isDir() && victim.isDir()) {
                    throw new SyscallException(Errno.EISDIR);
                }
                to.unlink(t, newName, victim.isDir());
            }
            synchronized (this) {
                entries.remove(name);
                if (child.isDir()) {
                    nlink--;
                }
                touch();
                removed(t, name);
            }
            to.add(t, newName, child);
        }
    }

    /**
     * RENAME_EXCHANGE: both names stay, each naming the other's inode; a directory that changes parent
     * takes its ".." link along.
     */
    @Override
    public void exchange(Task t, String name, Inode newDir, String newName) {
        if (!(newDir instanceof MemDir to) || newDir.fs() != fs) {
            throw new SyscallException(Errno.EXDEV);
        }
        synchronized (fs) {
            Inode a = lookup(t, name);
            Inode b = to.lookup(t, newName);
            if (a == null || b == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            if (a == b) {
                return;
            }
            synchronized (this) {
                entries.put(name, b);
                touch();
            }
            synchronized (to) {
                to.entries.put(newName, a);
                to.touch();
            }
            if (to != this && a.isDir() != b.isDir()) {
                int moved = a.isDir() ? 1 : -1;
                synchronized (this) {
                    nlink -= moved;
                }
                synchronized (to) {
                    to.nlink += moved;
                }
            }
        }
    }

    /** RENAME_WHITEOUT: rename, then a whiteout (character device 0:0) takes the old name. */
    @Override
    public void renameWhiteout(Task t, String name, Inode newDir, String newName) {
        synchronized (fs) {
            rename(t, name, newDir, newName);
            add(t, name, new MemDevice(memFs(), fs.nextIno(), FileMode.S_IFCHR, 0, uidOf(t), gidOf(t)));
        }
    }

    /** O_TMPFILE: a regular file owned as create() would make it, in no directory. */
    @Override
    public Inode tmpfile(Task t, int mode) {
        MemFile f = new MemFile(memFs(), fs.nextIno(), mode & 07777, uidOf(t), gidOf(t));
        f.markUnnamed();
        return f;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        if (FileMode.writable(flags)) {
            throw new SyscallException(Errno.EISDIR);
        }
        return new DirectoryDescription(at, flags);
    }
}
