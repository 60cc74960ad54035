package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A file system object: metadata, and the operations its kind supports. Defaults give the errno
 * Linux gives for an object that does not support an operation (ENOTDIR on a non-directory...).
 */
public abstract class Inode {
    protected final FileSystem fs;
    protected final long ino;
    protected int mode;
    protected int uid;
    protected int gid;
    protected int nlink = 1;
    protected long atimeNs, mtimeNs, ctimeNs;
    protected long rdev;
    private FileLocks locks;
    /** The inotify watches on this inode; null while nobody ever watched it. */
    private volatile InodeWatches watches;

    protected Inode(FileSystem fs, long ino, int mode, int uid, int gid) {
        this.fs = fs;
        this.ino = ino;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        long now = Clocks.realtimeNanos();
        atimeNs = mtimeNs = ctimeNs = now;
    }

    /** Takes attributes from elsewhere (the lower layer of an overlay). */
    protected void setAttributes(int mode, int uid, int gid, int nlink, long atimeNs, long mtimeNs, long ctimeNs,
            long rdev) {
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.nlink = nlink;
        this.atimeNs = atimeNs;
        this.mtimeNs = mtimeNs;
        this.ctimeNs = ctimeNs;
        this.rdev = rdev;
    }

    /** This inode's advisory locks (created on first use). */
    public synchronized FileLocks locks() {
        if (locks == null) {
            locks = new FileLocks();
        }
        return locks;
    }

    /** The locks if any were ever taken, else null (no need to create them to release). */
    public synchronized FileLocks existingLocks() {
        return locks;
    }

    /** The watches on this inode, or null if it never had any (cheap: read on every read and write). */
    public InodeWatches watches() {
        return watches;
    }

    /** The watch list, created for a first watch. */
    public synchronized InodeWatches watchesForAdd() {
        if (watches == null) {
            watches = new InodeWatches();
        }
        return watches;
    }

    public FileSystem fs() {
        return fs;
    }

    public long ino() {
        return ino;
    }

    public int mode() {
        return mode;
    }

    public int type() {
        return mode & FileMode.S_IFMT;
    }

    public boolean isDir() {
        return FileMode.isDir(mode);
    }

    public boolean isSymlink() {
        return FileMode.isLink(mode);
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public abstract long size(Task t);

    // ---- directories -----------------------------------------------------------------------------

    /** The child called {@code name}, or null if there is none. */
    public Inode lookup(Task t, String name) {
        throw new SyscallException(Errno.ENOTDIR);
    }

    public List<DirEntry> readdir(Task t) {
        throw new SyscallException(Errno.ENOTDIR);
    }

    public Inode create(Task t, String name, int mode) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public Inode mkdir(Task t, String name, int mode) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public Inode symlink(Task t, String name, String target) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public Inode mknod(Task t, String name, int mode, long dev) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    public void link(Task t, String name, Inode target) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** Removes the entry {@code name}; {@code dir} says whether it must be a directory (rmdir) or not. */
    public void unlink(Task t, String name, boolean dir) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /** Moves {@code name} to {@code newDir}/{@code newName}, replacing what is there as rename(2) does. */
    public void rename(Task t, String name, Inode newDir, String newName) {
        throw new SyscallException(isDir() ? Errno.EPERM : Errno.ENOTDIR);
    }

    /**
     * renameat2(RENAME_EXCHANGE): swaps {@code name} here with {@code newName} in {@code newDir}, both
     * existing. A file system that cannot do it says EINVAL, as Linux's do for flags they do not know.
     */
    public void exchange(Task t, String name, Inode newDir, String newName) {
        throw new SyscallException(Errno.EINVAL);
    }

    /**
     * renameat2(RENAME_WHITEOUT): rename(2), leaving a whiteout (a 0:0 character device) at the old
     * name. EINVAL where the file system has no whiteouts (overlayfs, procfs...).
     */
    public void renameWhiteout(Task t, String name, Inode newDir, String newName) {
        throw new SyscallException(Errno.EINVAL);
    }

    /**
     * open(O_TMPFILE) in this directory: a new regular file no directory names (st_nlink 0), which
     * linkat(2) may give a name. EOPNOTSUPP where the file system has no tmpfile operation.
     */
    public Inode tmpfile(Task t, int mode) {
        throw new SyscallException(isDir() ? Errno.EOPNOTSUPP : Errno.ENOTDIR);
    }

    // ---- symlinks, files -------------------------------------------------------------------------

    public String readlink(Task t) {
        throw new SyscallException(Errno.EINVAL);
    }

    /** Opens the object; the returned description takes the flags (access mode, O_APPEND...). */
    public FileDescription open(Task t, Location at, int flags) {
        throw new SyscallException(Errno.ENXIO);
    }

    /** Reads file bytes at {@code off} into app memory at {@code addr}; returns the count. */
    public long read(Task t, long off, long addr, long len) {
        throw new SyscallException(isDir() ? Errno.EISDIR : Errno.EINVAL);
    }

    public long write(Task t, long off, long addr, long len) {
        throw new SyscallException(isDir() ? Errno.EISDIR : Errno.EINVAL);
    }

    public void truncate(Task t, long size) {
        throw new SyscallException(isDir() ? Errno.EISDIR : Errno.EINVAL);
    }

    /** Reads file bytes into a Java array (the ELF loader, private file mappings). */
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        throw new SyscallException(isDir() ? Errno.EISDIR : Errno.EINVAL);
    }

    // ---- metadata --------------------------------------------------------------------------------

    public void chmod(Task t, int newMode) {
        mode = (mode & FileMode.S_IFMT) | (newMode & 07777);
        ctimeNs = Clocks.realtimeNanos();
    }

    public void chown(Task t, int newUid, int newGid) {
        if (newUid >= 0) {
            uid = newUid;
        }
        if (newGid >= 0) {
            gid = newGid;
        }
        ctimeNs = Clocks.realtimeNanos();
    }

    /** {@link #setTimes}: leave this time as it is. */
    public static final long OMIT_TIME = Long.MIN_VALUE;

    /** Sets the access and modification times (ns since the epoch, or {@link #OMIT_TIME}); ctime is now. */
    public void setTimes(Task t, long atime, long mtime) {
        if (atime != OMIT_TIME) {
            atimeNs = atime;
        }
        if (mtime != OMIT_TIME) {
            mtimeNs = mtime;
        }
        ctimeNs = Clocks.realtimeNanos();
    }

    /** A new name links to this inode (link(2)): st_nlink grows, ctime changes. */
    public synchronized void addLink() {
        nlink++;
        ctimeNs = Clocks.realtimeNanos();
    }

    /** A name of this inode was removed (unlink, rename over it). */
    public synchronized void dropLink() {
        if (nlink > 0) {
            nlink--;
        }
        ctimeNs = Clocks.realtimeNanos();
    }

    /** A directory was removed (rmdir, rename over it): st_nlink becomes 0, as tmpfs's clear_nlink. */
    public synchronized void clearLinks() {
        nlink = 0;
        ctimeNs = Clocks.realtimeNanos();
    }

    /**
     * Whether {@code c} may access this object with MAY_READ(4)/MAY_WRITE(2)/MAY_EXEC(1), as Linux's
     * generic_permission: the owner, group or other bits for the fs uid and groups, then
     * CAP_DAC_READ_SEARCH (read, and search of directories) and CAP_DAC_OVERRIDE (anything, but
     * executing a file needs one x bit).
     */
    public boolean permits(Credentials c, int may) {
        may &= 7;
        int m = mode;
        if (c.fsuid == uid) {
            if ((may & ~(m >> 6)) == 0) {
                return true;
            }
        } else {
            int bits = c.inGroup(gid) ? m >> 3 : m;
            if ((may & ~bits) == 0) {
                return true;
            }
        }
        if (isDir()) {
            return (may & 2) == 0 && c.hasCap(dev.jvisor.kernel.Capabilities.CAP_DAC_READ_SEARCH)
                    || c.hasCap(dev.jvisor.kernel.Capabilities.CAP_DAC_OVERRIDE);
        }
        if (may == 4 && c.hasCap(dev.jvisor.kernel.Capabilities.CAP_DAC_READ_SEARCH)) {
            return true;
        }
        return ((may & 1) == 0 || (m & 0111) != 0) && c.hasCap(dev.jvisor.kernel.Capabilities.CAP_DAC_OVERRIDE);
    }

    protected int blockSize() {
        return 4096;
    }

    /** struct stat (x86-64 layout, 144 bytes). */
    public byte[] stat(Task t) {
        long size = size(t);
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(fs.dev()).putLong(ino).putLong(nlink).putInt(mode).putInt(uid).putInt(gid).putInt(0);
        b.putLong(rdev).putLong(size).putLong(blockSize()).putLong((allocatedBytes(t) + 511) / 512);
        b.putLong(atimeNs / 1_000_000_000L).putLong(atimeNs % 1_000_000_000L);
        b.putLong(mtimeNs / 1_000_000_000L).putLong(mtimeNs % 1_000_000_000L);
        b.putLong(ctimeNs / 1_000_000_000L).putLong(ctimeNs % 1_000_000_000L);
        return b.array();
    }

    /** Bytes of storage the object uses (st_blocks). */
    protected long allocatedBytes(Task t) {
        return size(t);
    }

    public int nlink() {
        return nlink;
    }

    public long mtimeNs() {
        return mtimeNs;
    }

    public long atimeNs() {
        return atimeNs;
    }

    public long ctimeNs() {
        return ctimeNs;
    }

    public long rdev() {
        return rdev;
    }
}
