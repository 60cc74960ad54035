package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.vfs.FileMode.*;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.DirectoryDescription;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileSizeLimit;
import dev.jvisor.kernel.vfs.Fsnotify;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PathDescription;
import dev.jvisor.kernel.vfs.PathResolver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Path syscalls: open, stat, directories, links, permissions, times, the working directory — the
 * calls that name files by path, relative to the cwd or a directory fd.
 */
final class SysPath {
    private SysPath() {}

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400,
            AT_EACCESS = 0x200, AT_EMPTY_PATH = 0x1000;
    private static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;
    private static final int PATH_MAX = 4096;
    /** The flags openat2(2) accepts (Linux's VALID_OPEN_FLAGS); open(2) ignores unknown bits, openat2 refuses them. */
    private static final long VALID_OPEN_FLAGS = 0x7fffc3L;
    private static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    // ---- helpers --------------------------------------------------------------------------------

    static String path(Task t, long addr) {
        if (addr == 0) {
            throw new SyscallException(Errno.EFAULT);
        }
        return t.mm().readCString(addr, PATH_MAX);
    }

    /** The directory a *at call starts from. */
    static Location dirFd(Task t, int dirfd, String path) {
        if (path.isEmpty()) {
            // An empty path is ENOENT before the fd is looked at (AT_EMPTY_PATH is handled by the callers).
            throw new SyscallException(Errno.ENOENT);
        }
        if (path.startsWith("/") || dirfd == AT_FDCWD) {
            return t.fsContext().cwd;
        }
        FileDescription f = t.fds().get(dirfd);
        Location l = f.location();
        if (l == null || !l.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return l;
    }

    /** Resolves a path argument of a *at call (AT_EMPTY_PATH: the fd itself). */
    static Location lookupAt(Task t, int dirfd, long pathAddr, int flags, boolean followDefault) {
        String p = path(t, pathAddr);
        if (p.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            if (dirfd == AT_FDCWD) {
                return t.fsContext().cwd;
            }
            Location l = t.fds().get(dirfd).location();
            if (l == null) {
                throw new SyscallException(Errno.EBADF);
            }
            return l;
        }
        boolean follow = followDefault ? (flags & AT_SYMLINK_NOFOLLOW) == 0 : (flags & AT_SYMLINK_FOLLOW) != 0;
        return PathResolver.resolve(t, dirFd(t, dirfd, p), p, follow);
    }

    static void checkWritableDir(Task t, Location dir) {
        if (dir.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (!dir.inode().permits(t.threadGroup().creds, MAY_WRITE | MAY_EXEC)) {
            throw new SyscallException(Errno.EACCES);
        }
    }

    private static Credentials creds(Task t) {
        return t.threadGroup().creds;
    }

    // ---- open ------------------------------------------------------------------------------------

    /** open(2) */
    static long open(Task t, SyscallArgs a) {
        return doOpen(t, AT_FDCWD, a.a0, (int) a.a1, (int) a.a2);
    }

    /** openat(2) */
    static long openat(Task t, SyscallArgs a) {
        return doOpen(t, a.fd(0), a.a1, (int) a.a2, (int) a.a3);
    }

    /** creat(2) */
    static long creat(Task t, SyscallArgs a) {
        return doOpen(t, AT_FDCWD, a.a0, O_CREAT | O_WRONLY | O_TRUNC, (int) a.a1);
    }

    /** openat2(2): struct open_how {flags, mode, resolve}; RESOLVE_* restrictions are not supported. */
    static long openat2(Task t, SyscallArgs a) {
        if (a.a3 < 24) {
            throw new SyscallException(Errno.EINVAL);
        }
        long flags = t.mm().readLong(a.a2);
        long mode = t.mm().readLong(a.a2 + 8);
        long resolve = t.mm().readLong(a.a2 + 16);
        if (resolve != 0 || (flags & ~VALID_OPEN_FLAGS) != 0 || (mode & ~07777L) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (mode != 0 && (flags & O_CREAT) == 0 && (flags & O_TMPFILE) != O_TMPFILE) {
            // A mode is only meaningful when the call may create a file.
            throw new SyscallException(Errno.EINVAL);
        }
        return doOpen(t, a.fd(0), a.a1, (int) flags, (int) mode);
    }

    static long doOpen(Task t, int dirfd, long pathAddr, int flags, int mode) {
        String p = path(t, pathAddr);
        FileDescription f = openPath(t, dirFd(t, dirfd, p), p, flags, mode);
        int fd;
        try {
            fd = t.fds().install(f, 0, (flags & O_CLOEXEC) != 0, t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE]);
        } catch (SyscallException e) {
            // No fd took it: it is closed at once (EMFILE), as Linux's fput of the new file.
            dev.jvisor.kernel.vfs.FdTable.hold(f);
            dev.jvisor.kernel.vfs.FdTable.unref(f);
            throw e;
        }
        return fd;
    }

    /** The VFS side of open: find or create, check, truncate, open. */
    static FileDescription openPath(Task t, Location start, String p, int flags, int mode) {
        if ((flags & O_TMPFILE_BIT) != 0) {
            return openTmpfile(t, start, p, flags, mode);
        }
        return openPath(t, start, p, flags, mode, 0);
    }

    /** __O_TMPFILE alone; O_TMPFILE is it with O_DIRECTORY. */
    private static final int O_TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

    /**
     * open(O_TMPFILE): an unnamed regular file in the directory {@code p} (build_open_flags and
     * do_tmpfile): O_DIRECTORY without O_CREAT and write access are required (EINVAL), the directory
     * must exist (ENOENT, ENOTDIR), be writable (EROFS, EACCES) and be on a file system with tmpfiles
     * (EOPNOTSUPP). Without O_EXCL, linkat(2) may give the file a name later.
     */
    private static FileDescription openTmpfile(Task t, Location start, String p, int flags, int mode) {
        if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || !writable(flags)) {
            throw new SyscallException(Errno.EINVAL);
        }
        Location dir = PathResolver.resolve(t, start, p, (flags & O_NOFOLLOW) == 0);
        if (!dir.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (dir.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (!dir.inode().permits(creds(t), MAY_WRITE | MAY_EXEC)) {
            throw new SyscallException(Errno.EACCES);
        }
        Inode file = dir.inode().tmpfile(t, mode & ~t.fsContext().umask & 07777);
        if (file instanceof dev.jvisor.kernel.fs.tmpfs.MemFile mf) {
            mf.setLinkable((flags & O_EXCL) == 0);
        }
        // Linux names the dentry "#ino"; no directory holds it, so it is unlinked from the start.
        Location at = new Location(dir.mount, Dentry.unnamed("#" + file.ino(), dir.dentry, file));
        return opened(file.open(t, at, flags & ~(O_TMPFILE | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC | O_TRUNC)));
    }

    /** IN_OPEN as soon as the file is open (vfs_open), before an O_TRUNC truncates it. */
    private static FileDescription opened(FileDescription f) {
        Fsnotify.open(f);
        return f;
    }

    private static FileDescription openPath(Task t, Location start, String p, int flags, int mode, int links) {
        boolean follow = (flags & O_NOFOLLOW) == 0;
        Location loc;
        if ((flags & O_CREAT) != 0 && (flags & O_PATH) == 0) {
            PathResolver.Parent parent = PathResolver.resolveParent(t, start, p);
            if (parent.trailingSlash) {
                throw new SyscallException(Errno.EISDIR);
            }
            Dentry existing = parent.dir.dentry.child(t, parent.name);
            if (existing == null) {
                checkWritableDir(t, parent.dir);
                Inode made = parent.dir.inode().create(t, parent.name, mode & ~t.fsContext().umask & 07777);
                Fsnotify.created(parent.dir, parent.name, made);
                loc = PathResolver.resolve(t, parent.dir, parent.name, false);
                return opened(loc.inode().open(t, loc, flags & ~(O_TRUNC | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC)));
            }
            if ((flags & O_EXCL) != 0) {
                throw new SyscallException(Errno.EEXIST);
            }
            Inode last = existing.inode();
            if (follow && last.isSymlink() && !(last instanceof dev.jvisor.kernel.vfs.MagicLink)) {
                // O_CREAT follows a final symlink and creates its target if that is missing (a dangling link).
                if (links >= PathResolver.MAX_SYMLINKS) {
                    throw new SyscallException(Errno.ELOOP);
                }
                return openPath(t, parent.dir, last.readlink(t), flags, mode, links + 1);
            }
            loc = PathResolver.resolve(t, parent.dir, parent.name, follow);
        } else {
            loc = PathResolver.resolve(t, start, p, follow);
        }
        Inode inode = loc.inode();
        if ((flags & O_PATH) != 0) {
            return new PathDescription(loc, flags);
        }
        if ((flags & O_DIRECTORY) != 0 && !inode.isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (inode.isSymlink()) {
            throw new SyscallException(Errno.ELOOP);
        }
        int may = (readable(flags) ? MAY_READ : 0) | (writable(flags) ? MAY_WRITE : 0)
                | ((flags & O_TRUNC) != 0 ? MAY_WRITE : 0);
        if (writable(flags) && inode.isDir()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (!inode.permits(creds(t), may)) {
            throw new SyscallException(Errno.EACCES);
        }
        if ((may & MAY_WRITE) != 0 && loc.mount.readOnly && !isDevice(inode)) {
            throw new SyscallException(Errno.EROFS);
        }
        FileDescription f = opened(inode.open(t, loc, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC)));
        if ((flags & O_TRUNC) != 0 && isReg(inode.mode())) {
            // Linux truncates even when the access mode is O_RDONLY (write permission was checked above).
            try {
                inode.truncate(t, 0);
            } catch (SyscallException e) {
                dev.jvisor.kernel.vfs.FdTable.hold(f);
                dev.jvisor.kernel.vfs.FdTable.unref(f);
                throw e;
            }
            Fsnotify.truncated(loc);
        }
        return f;
    }

    private static boolean isDevice(Inode i) {
        int type = i.type();
        return type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK;
    }

    // ---- stat ------------------------------------------------------------------------------------

    /** stat(2) */
    static long stat(Task t, SyscallArgs a) {
        return copyStat(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true), a.a1);
    }

    /** lstat(2) */
    static long lstat(Task t, SyscallArgs a) {
        return copyStat(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), false), a.a1);
    }

    /** newfstatat(2) */
    static long newfstatat(Task t, SyscallArgs a) {
        int flags = (int) a.a3;
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String p = path(t, a.a1);
        if (p.isEmpty() && (flags & AT_EMPTY_PATH) != 0 && a.fd(0) != AT_FDCWD) {
            byte[] st = t.fds().get(a.fd(0)).stat(t);
            t.mm().copyOut(a.a2, st, 0, st.length);
            return 0;
        }
        return copyStat(t, lookupAt(t, a.fd(0), a.a1, flags, true), a.a2);
    }

    private static long copyStat(Task t, Location l, long addr) {
        byte[] st = l.inode().stat(t);
        t.mm().copyOut(addr, st, 0, st.length);
        return 0;
    }

    /** statx(2) */
    static long statx(Task t, SyscallArgs a) {
        int flags = (int) a.a2;
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000 /* AT_STATX_SYNC_TYPE */)) != 0
                || (a.a3 & 0x80000000L) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String p = path(t, a.a1);
        byte[] st;
        if (p.isEmpty() && (flags & AT_EMPTY_PATH) != 0 && a.fd(0) != AT_FDCWD) {
            st = t.fds().get(a.fd(0)).stat(t);
        } else {
            st = lookupAt(t, a.fd(0), a.a1, flags, true).inode().stat(t);
        }
        t.mm().copyOut(a.a4, Statx.fromStat(st), 0, 256);
        return 0;
    }

    // ---- directories -----------------------------------------------------------------------------

    /** getdents64(2) */
    static long getdents64(Task t, SyscallArgs a) {
        return getdents(t, a, true);
    }

    /** getdents(2): the old struct linux_dirent, with d_type in the record's last byte. */
    static long getdents(Task t, SyscallArgs a) {
        return getdents(t, a, false);
    }

    /** Either form; a directory read is IN_ACCESS for inotify, even at its end (iterate_dir). */
    private static long getdents(Task t, SyscallArgs a, boolean dirent64) {
        FileDescription f = t.fds().get(a.fd(0));
        if (!(f instanceof DirectoryDescription d)) {
            throw new SyscallException(f.location() != null && !f.location().inode().isDir() ? Errno.ENOTDIR
                    : Errno.EBADF);
        }
        long n = d.getdents(t, a.a1, a.a2 & 0xffffffffL, dirent64);
        Fsnotify.access(f);
        return n;
    }

    /** mkdir(2) */
    static long mkdir(Task t, SyscallArgs a) {
        return doMkdir(t, AT_FDCWD, a.a0, (int) a.a1);
    }

    /** mkdirat(2) */
    static long mkdirat(Task t, SyscallArgs a) {
        return doMkdir(t, a.fd(0), a.a1, (int) a.a2);
    }

    private static long doMkdir(Task t, int dirfd, long pathAddr, int mode) {
        String p = path(t, pathAddr);
        PathResolver.Parent parent = PathResolver.resolveParent(t, dirFd(t, dirfd, p), p);
        if (parent.dir.dentry.child(t, parent.name) != null || parent.name.equals(".")) {
            throw new SyscallException(Errno.EEXIST);
        }
        checkWritableDir(t, parent.dir);
        Inode made = parent.dir.inode().mkdir(t, parent.name, mode & ~t.fsContext().umask & 07777);
        Fsnotify.created(parent.dir, parent.name, made);
        return 0;
    }

    /** mknod(2) / mknodat(2): regular files, FIFOs, sockets and device nodes. */
    static long mknodat(Task t, SyscallArgs a) {
        return doMknod(t, a.fd(0), a.a1, (int) a.a2, a.a3);
    }

    static long mknod(Task t, SyscallArgs a) {
        return doMknod(t, AT_FDCWD, a.a0, (int) a.a1, a.a2);
    }

    /**
     * may_mknod, then vfs_mknod: a directory type is EPERM, an unknown one EINVAL; a device node
     * needs CAP_MKNOD, except a whiteout (character device 0:0), which anyone may make.
     */
    private static long doMknod(Task t, int dirfd, long pathAddr, int mode, long dev) {
        int type = mode & S_IFMT;
        switch (type) {
            case 0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK -> { }
            case S_IFDIR -> throw new SyscallException(Errno.EPERM);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        String p = path(t, pathAddr);
        PathResolver.Parent parent = PathResolver.resolveParent(t, dirFd(t, dirfd, p), p);
        if (parent.dir.dentry.child(t, parent.name) != null) {
            throw new SyscallException(Errno.EEXIST);
        }
        checkWritableDir(t, parent.dir);
        dev &= 0xffffffffL;
        boolean whiteout = type == S_IFCHR && dev == 0;
        if ((type == S_IFCHR || type == S_IFBLK) && !whiteout && !creds(t).hasCap(Capabilities.CAP_MKNOD)) {
            throw new SyscallException(Errno.EPERM);
        }
        Inode made = parent.dir.inode().mknod(t, parent.name, type | (mode & ~t.fsContext().umask & 07777), dev);
        Fsnotify.created(parent.dir, parent.name, made);
        return 0;
    }

    /** rmdir(2) */
    static long rmdir(Task t, SyscallArgs a) {
        return doUnlink(t, AT_FDCWD, a.a0, true);
    }

    /** unlink(2) */
    static long unlink(Task t, SyscallArgs a) {
        return doUnlink(t, AT_FDCWD, a.a0, false);
    }

    /** unlinkat(2) */
    static long unlinkat(Task t, SyscallArgs a) {
        if ((a.a2 & ~AT_REMOVEDIR) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return doUnlink(t, a.fd(0), a.a1, (a.a2 & AT_REMOVEDIR) != 0);
    }

    private static long doUnlink(Task t, int dirfd, long pathAddr, boolean dir) {
        String p = path(t, pathAddr);
        PathResolver.Parent parent = PathResolver.resolveParent(t, dirFd(t, dirfd, p), p);
        if (dir && parent.name.equals(".")) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (parent.name.equals("..")) {
            throw new SyscallException(dir ? Errno.ENOTEMPTY : Errno.EISDIR);
        }
        Dentry child = parent.dir.dentry.child(t, parent.name);
        if (child == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        if (!dir && parent.trailingSlash) {
            throw new SyscallException(child.inode().isDir() ? Errno.EISDIR : Errno.ENOTDIR);
        }
        if (t.kernel.mounts().mountedOn(child) != null) {
            throw new SyscallException(Errno.EBUSY);
        }
        checkWritableDir(t, parent.dir);
        checkSticky(t, parent.dir.inode(), child.inode());
        parent.dir.inode().unlink(t, parent.name, dir);
        child.markUnlinked();
        Fsnotify.removed(t, parent.dir, parent.name, child.inode());
        return 0;
    }

    /** Linux's check_sticky: in a sticky directory only the file's or the directory's owner (or CAP_FOWNER). */
    private static void checkSticky(Task t, Inode dir, Inode child) {
        Credentials c = creds(t);
        if ((dir.mode() & S_ISVTX) != 0 && c.fsuid != dir.uid() && c.fsuid != child.uid()
                && !c.hasCap(Capabilities.CAP_FOWNER)) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** rename(2) */
    static long rename(Task t, SyscallArgs a) {
        return doRename(t, AT_FDCWD, a.a0, AT_FDCWD, a.a1, 0);
    }

    /** renameat(2) */
    static long renameat(Task t, SyscallArgs a) {
        return doRename(t, a.fd(0), a.a1, a.fd(2), a.a3, 0);
    }

    /** renameat2(2): RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT (where the file system has whiteouts). */
    static long renameat2(Task t, SyscallArgs a) {
        return doRename(t, a.fd(0), a.a1, a.fd(2), a.a3, (int) a.a4);
    }

    private static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

    /** do_renameat2 and vfs_rename: the checks in Linux's order, then the move and its inotify events. */
    private static long doRename(Task t, int oldfd, long oldAddr, int newfd, long newAddr, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        String op = path(t, oldAddr);
        String np = path(t, newAddr);
        PathResolver.Parent from = PathResolver.resolveParent(t, dirFd(t, oldfd, op), op);
        PathResolver.Parent to = PathResolver.resolveParent(t, dirFd(t, newfd, np), np);
        if (from.dir.mount != to.dir.mount) {
            throw new SyscallException(Errno.EXDEV);
        }
        if (from.name.equals(".") || from.name.equals("..") || to.name.equals(".") || to.name.equals("..")) {
            throw new SyscallException(Errno.EBUSY);
        }
        Dentry src = from.dir.dentry.child(t, from.name);
        if (src == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        Dentry dst = to.dir.dentry.child(t, to.name);
        if (dst != null && (flags & RENAME_NOREPLACE) != 0) {
            throw new SyscallException(Errno.EEXIST);
        }
        if (exchange) {
            if (dst == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            if (!dst.inode().isDir() && to.trailingSlash) {
                throw new SyscallException(Errno.ENOTDIR);
            }
        }
        if (!src.inode().isDir() && (from.trailingSlash || !exchange && to.trailingSlash)) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (isAncestor(src, to.dir.dentry)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (dst != null && isAncestor(dst, from.dir.dentry)) {
            throw new SyscallException(exchange ? Errno.EINVAL : Errno.ENOTEMPTY);
        }
        if (dst != null && dst.inode() == src.inode()) {
            return 0;
        }
        checkWritableDir(t, from.dir);
        checkWritableDir(t, to.dir);
        checkSticky(t, from.dir.inode(), src.inode());
        if (dst != null) {
            checkSticky(t, to.dir.inode(), dst.inode());
        }
        Inode fromDir = from.dir.inode(), toDir = to.dir.inode();
        Inode moved = src.inode();
        if (exchange) {
            Inode other = dst.inode();
            fromDir.exchange(t, from.name, toDir, to.name);
            Dentry.exchange(src, dst);
            Fsnotify.moved(t, fromDir, from.name, toDir, to.name, moved, null);
            Fsnotify.moved(t, toDir, to.name, fromDir, from.name, other, null);
            return 0;
        }
        Inode replaced = dst != null ? dst.inode() : null;
        if ((flags & RENAME_WHITEOUT) != 0) {
            fromDir.renameWhiteout(t, from.name, toDir, to.name);
        } else {
            fromDir.rename(t, from.name, toDir, to.name);
        }
        if (dst != null) {
            dst.markUnlinked();
        }
        src.moveTo(to.dir.dentry, to.name);
        Fsnotify.moved(t, fromDir, from.name, toDir, to.name, moved, replaced);
        return 0;
    }

    /** Whether {@code a} is {@code d} or one of its ancestors. */
    private static boolean isAncestor(Dentry a, Dentry d) {
        for (Dentry x = d; x != null; x = x.parent()) {
            if (x == a) {
                return true;
            }
        }
        return false;
    }

    /** link(2) */
    static long link(Task t, SyscallArgs a) {
        return doLink(t, AT_FDCWD, a.a0, AT_FDCWD, a.a1, 0);
    }

    /** linkat(2) */
    static long linkat(Task t, SyscallArgs a) {
        return doLink(t, a.fd(0), a.a1, a.fd(2), a.a3, (int) a.a4);
    }

    /**
     * do_linkat and vfs_link: AT_EMPTY_PATH (linking the file an fd refers to) needs
     * CAP_DAC_READ_SEARCH, as in Linux 6.1 (else ENOENT); a directory is EPERM; a file with no name
     * left is ENOENT unless it is an O_TMPFILE file opened without O_EXCL, linked for the first time.
     */
    private static long doLink(Task t, int oldfd, long oldAddr, int newfd, long newAddr, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & AT_EMPTY_PATH) != 0 && !creds(t).hasCap(Capabilities.CAP_DAC_READ_SEARCH)
                && path(t, oldAddr).isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        Location target = lookupAt(t, oldfd, oldAddr, flags, false);
        String np = path(t, newAddr);
        PathResolver.Parent to = PathResolver.resolveParent(t, dirFd(t, newfd, np), np);
        if (to.dir.dentry.child(t, to.name) != null) {
            throw new SyscallException(Errno.EEXIST);
        }
        if (target.mount != to.dir.mount) {
            throw new SyscallException(Errno.EXDEV);
        }
        checkWritableDir(t, to.dir);
        Inode inode = target.inode();
        if (inode.isDir()) {
            throw new SyscallException(Errno.EPERM);
        }
        if (inode.nlink() == 0 && !(inode instanceof dev.jvisor.kernel.fs.tmpfs.MemFile mf && mf.linkable())) {
            throw new SyscallException(Errno.ENOENT);
        }
        to.dir.inode().link(t, to.name, inode);
        Fsnotify.linked(inode, to.dir, to.name);
        return 0;
    }

    /** symlink(2) */
    static long symlink(Task t, SyscallArgs a) {
        return doSymlink(t, a.a0, AT_FDCWD, a.a1);
    }

    /** symlinkat(2) */
    static long symlinkat(Task t, SyscallArgs a) {
        return doSymlink(t, a.a0, a.fd(1), a.a2);
    }

    private static long doSymlink(Task t, long targetAddr, int dirfd, long pathAddr) {
        String target = path(t, targetAddr);
        if (target.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        String p = path(t, pathAddr);
        PathResolver.Parent parent = PathResolver.resolveParent(t, dirFd(t, dirfd, p), p);
        if (parent.dir.dentry.child(t, parent.name) != null) {
            throw new SyscallException(Errno.EEXIST);
        }
        checkWritableDir(t, parent.dir);
        Inode made = parent.dir.inode().symlink(t, parent.name, target);
        Fsnotify.created(parent.dir, parent.name, made);
        return 0;
    }

    /** readlink(2) */
    static long readlink(Task t, SyscallArgs a) {
        return doReadlink(t, AT_FDCWD, a.a0, a.a1, a.a2);
    }

    /** readlinkat(2) */
    static long readlinkat(Task t, SyscallArgs a) {
        return doReadlink(t, a.fd(0), a.a1, a.a2, a.a3);
    }

    private static long doReadlink(Task t, int dirfd, long pathAddr, long buf, long size) {
        if ((int) size <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Location l = lookupAt(t, dirfd, pathAddr, AT_EMPTY_PATH, false);
        byte[] target = l.inode().readlink(t).getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(target.length, size);
        t.mm().copyOut(buf, target, 0, n);
        return n;
    }

    // ---- attributes ------------------------------------------------------------------------------

    /** Linux's inode_owner_or_capable: the fs uid owns the file, or CAP_FOWNER. */
    private static boolean ownerOrCapable(Task t, Inode i) {
        Credentials c = creds(t);
        return c.fsuid == i.uid() || c.hasCap(Capabilities.CAP_FOWNER);
    }

    private static void checkOwner(Task t, Location l) {
        if (l.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (!ownerOrCapable(t, l.inode())) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** chmod(2) */
    static long chmod(Task t, SyscallArgs a) {
        return doChmod(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true), (int) a.a1);
    }

    /** fchmod(2) */
    static long fchmod(Task t, SyscallArgs a) {
        return doChmod(t, fdLocation(t, a.fd(0)), (int) a.a1);
    }

    /** fchmodat(2) */
    static long fchmodat(Task t, SyscallArgs a) {
        return doChmod(t, lookupAt(t, a.fd(0), a.a1, 0, true), (int) a.a2);
    }

    private static long doChmod(Task t, Location l, int mode) {
        checkOwner(t, l);
        Credentials c = creds(t);
        if (!c.inGroup(l.inode().gid()) && !c.hasCap(Capabilities.CAP_FSETID)) {
            // setattr_prepare: a caller outside the file's group cannot set its setgid bit
            mode &= ~S_ISGID;
        }
        l.inode().chmod(t, mode);
        Fsnotify.attrib(l);
        return 0;
    }

    static Location fdLocation(Task t, int fd) {
        Location l = t.fds().get(fd).location();
        if (l == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        return l;
    }

    /** chown(2) */
    static long chown(Task t, SyscallArgs a) {
        return doChown(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true), (int) a.a1, (int) a.a2);
    }

    /** lchown(2) */
    static long lchown(Task t, SyscallArgs a) {
        return doChown(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), false), (int) a.a1, (int) a.a2);
    }

    /** fchown(2) */
    static long fchown(Task t, SyscallArgs a) {
        return doChown(t, fdLocation(t, a.fd(0)), (int) a.a1, (int) a.a2);
    }

    /** fchownat(2) */
    static long fchownat(Task t, SyscallArgs a) {
        return doChown(t, lookupAt(t, a.fd(0), a.a1, (int) a.a4, true), (int) a.a2, (int) a.a3);
    }

    /**
     * chown_ok / chgrp_ok: with CAP_CHOWN anything; otherwise only the owner, who may keep the owner
     * and give the file to the group it has or to one of its own groups. Changing the owner or group of
     * a non-directory clears its set-user-ID bit and its set-group-ID bit (when group-executable).
     */
    private static long doChown(Task t, Location l, int uid, int gid) {
        if (l.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        Inode i = l.inode();
        Credentials c = creds(t);
        boolean cap = c.hasCap(Capabilities.CAP_CHOWN);
        boolean owner = c.fsuid == i.uid();
        if (uid != -1 && !cap && !(owner && uid == i.uid())) {
            throw new SyscallException(Errno.EPERM);
        }
        if (gid != -1 && !cap && !(owner && (gid == i.gid() || c.inGroup(gid)))) {
            throw new SyscallException(Errno.EPERM);
        }
        int mode = i.mode();
        i.chown(t, uid, gid);
        boolean changed = uid != -1 || gid != -1;
        if (!i.isDir() && changed) {
            int kill = S_ISUID | ((mode & (S_ISGID | 0010)) == (S_ISGID | 0010) ? S_ISGID : 0);
            if ((mode & kill) != 0) {
                i.chmod(t, mode & 07777 & ~kill);
            }
        }
        if (changed) {
            Fsnotify.attrib(l);
        }
        return 0;
    }

    /** utimensat(2): both UTIME_OMIT does nothing (not even the lookup); a NULL path names the fd. */
    static long utimensat(Task t, SyscallArgs a) {
        long[] times = null;
        if (a.a2 != 0) {
            times = new long[] {t.mm().readLong(a.a2), t.mm().readLong(a.a2 + 8), t.mm().readLong(a.a2 + 16),
                t.mm().readLong(a.a2 + 24)};
            if (times[1] == UTIME_OMIT && times[3] == UTIME_OMIT) {
                return 0;
            }
        }
        return doUtimes(t, a.fd(0), a.a1, times, (int) a.a3);
    }

    /** utime(2): whole seconds from struct utimbuf, or now. */
    static long utime(Task t, SyscallArgs a) {
        long[] times = null;
        if (a.a1 != 0) {
            times = new long[] {t.mm().readLong(a.a1), 0, t.mm().readLong(a.a1 + 8), 0};
        }
        return doUtimes(t, AT_FDCWD, a.a0, times, 0);
    }

    /** utimes(2) */
    static long utimes(Task t, SyscallArgs a) {
        return doUtimes(t, AT_FDCWD, a.a0, timevals(t, a.a1), 0);
    }

    /** futimesat(2): utimes relative to a directory fd (a NULL path names the fd itself). */
    static long futimesat(Task t, SyscallArgs a) {
        return doUtimes(t, a.fd(0), a.a1, timevals(t, a.a2), 0);
    }

    /** Two struct timevals as {sec, nsec, sec, nsec}; microseconds out of range (UTIME_* too) are EINVAL. */
    private static long[] timevals(Task t, long addr) {
        if (addr == 0) {
            return null;
        }
        long[] tv = {t.mm().readLong(addr), t.mm().readLong(addr + 8), t.mm().readLong(addr + 16),
            t.mm().readLong(addr + 24)};
        if (tv[1] < 0 || tv[1] >= 1_000_000 || tv[3] < 0 || tv[3] >= 1_000_000) {
            throw new SyscallException(Errno.EINVAL);
        }
        tv[1] *= 1000;
        tv[3] *= 1000;
        return tv;
    }

    /**
     * Linux's do_utimes + vfs_utimes: {@code times} is {atime sec, nsec, mtime sec, nsec} or null for
     * "now". Explicit times (anything but both UTIME_NOW) need ownership; "now" also accepts write
     * permission. Reports IN_ATTRIB, or IN_ACCESS / IN_MODIFY when only one of the times changes.
     */
    private static long doUtimes(Task t, int dirfd, long pathAddr, long[] times, int flags) {
        Location l;
        if (pathAddr == 0 && dirfd != AT_FDCWD) {
            if (flags != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            l = fdLocation(t, dirfd);
        } else {
            if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            l = lookupAt(t, dirfd, pathAddr, flags, true);
        }
        if (times != null && (!nsecValid(times[1]) || !nsecValid(times[3]))) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (times != null && times[1] == UTIME_NOW && times[3] == UTIME_NOW) {
            times = null;
        }
        if (l.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (!ownerOrCapable(t, l.inode())) {
            // Setting given times needs ownership; touching to "now" also write permission.
            if (times != null) {
                throw new SyscallException(Errno.EPERM);
            }
            if (!l.inode().permits(creds(t), MAY_WRITE)) {
                throw new SyscallException(Errno.EACCES);
            }
        }
        long now = dev.jvisor.kernel.vfs.Clocks.realtimeNanos();
        long at = times == null ? now : timeOf(times[0], times[1], now);
        long mt = times == null ? now : timeOf(times[2], times[3], now);
        l.inode().setTimes(t, at, mt);
        Fsnotify.timesChanged(l, at != Inode.OMIT_TIME, mt != Inode.OMIT_TIME);
        return 0;
    }

    private static boolean nsecValid(long nsec) {
        return nsec == UTIME_NOW || nsec == UTIME_OMIT || nsec >= 0 && nsec < 1_000_000_000L;
    }

    private static long timeOf(long sec, long nsec, long now) {
        if (nsec == UTIME_NOW) {
            return now;
        }
        if (nsec == UTIME_OMIT) {
            return Inode.OMIT_TIME;
        }
        return sec * 1_000_000_000L + nsec;
    }

    /** truncate(2) */
    static long truncate(Task t, SyscallArgs a) {
        Location l = PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true);
        if (l.inode().isDir()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (!l.inode().permits(creds(t), MAY_WRITE)) {
            throw new SyscallException(Errno.EACCES);
        }
        if (l.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (a.a1 < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileSizeLimit.checkGrow(t, l.inode().size(t), a.a1);
        l.inode().truncate(t, a.a1);
        Fsnotify.truncated(l);
        return 0;
    }

    /** ftruncate(2) */
    static long ftruncate(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        Location l = f.location();
        if (l == null || !isReg(l.inode().mode()) || !writable(f.flags())) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (a.a1 < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileSizeLimit.checkGrow(t, l.inode().size(t), a.a1);
        l.inode().truncate(t, a.a1);
        Fsnotify.truncated(l);
        return 0;
    }

    /** access(2) */
    static long access(Task t, SyscallArgs a) {
        return doAccess(t, AT_FDCWD, a.a0, (int) a.a1, 0);
    }

    /** faccessat(2) */
    static long faccessat(Task t, SyscallArgs a) {
        return doAccess(t, a.fd(0), a.a1, (int) a.a2, 0);
    }

    /** faccessat2(2) */
    static long faccessat2(Task t, SyscallArgs a) {
        return doAccess(t, a.fd(0), a.a1, (int) a.a2, (int) a.a3);
    }

    private static long doAccess(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Location l = lookupAt(t, dirfd, pathAddr, flags, true);
        // access(2) checks as the real uid and gid; AT_EACCESS as the effective (fs) ones.
        Credentials c = (flags & AT_EACCESS) != 0 ? creds(t) : creds(t).forAccessCheck();
        if (mode != 0 && !l.inode().permits(c, mode)) {
            throw new SyscallException(Errno.EACCES);
        }
        if ((mode & MAY_WRITE) != 0 && l.mount.readOnly && !isDevice(l.inode())) {
            throw new SyscallException(Errno.EROFS);
        }
        return 0;
    }

    /** statfs(2) */
    static long statfs(Task t, SyscallArgs a) {
        return copyStatfs(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true), a.a1);
    }

    /** fstatfs(2) */
    static long fstatfs(Task t, SyscallArgs a) {
        Location l = t.fds().get(a.fd(0)).location();
        if (l == null) {
            throw new SyscallException(Errno.ENOSYS);
        }
        return copyStatfs(t, l, a.a1);
    }

    private static long copyStatfs(Task t, Location l, long addr) {
        ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        dev.jvisor.kernel.vfs.FsStats own = l.mount.fs.statfs(t, l.inode());
        if (own != null) {
            // A file system with figures of its own (a bind mount: its host file system's).
            b.putLong(own.type()).putLong(own.bsize()).putLong(own.blocks()).putLong(own.bfree()).putLong(own.bavail());
            b.putLong(own.files()).putLong(own.ffree()).putLong(l.mount.fs.dev()).putLong(own.namelen())
                    .putLong(own.bsize());
        } else {
            long total = t.kernel.memory().allocator().capacity() / 4096;
            long used = t.kernel.memory().allocator().allocatedBytes() / 4096;
            b.putLong(l.mount.fs.magic()).putLong(4096).putLong(total).putLong(total - used).putLong(total - used);
            b.putLong(1 << 20).putLong(1 << 19).putLong(l.mount.fs.dev()).putLong(255).putLong(4096);
        }
        b.putLong(l.mount.readOnly ? 1 : 0);
        t.mm().copyOut(addr, b.array(), 0, 120);
        return 0;
    }

    // ---- working directory, umask ------------------------------------------------------------------

    /** chdir(2) */
    static long chdir(Task t, SyscallArgs a) {
        return setCwd(t, PathResolver.resolve(t, t.fsContext().cwd, path(t, a.a0), true));
    }

    /** fchdir(2) */
    static long fchdir(Task t, SyscallArgs a) {
        return setCwd(t, fdLocation(t, a.fd(0)));
    }

    private static long setCwd(Task t, Location l) {
        if (!l.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (!l.inode().permits(creds(t), MAY_EXEC)) {
            throw new SyscallException(Errno.EACCES);
        }
        t.fsContext().cwd = l;
        return 0;
    }

    /** getcwd(2) */
    static long getcwd(Task t, SyscallArgs a) {
        byte[] p = (PathResolver.pathOf(t.fsContext().cwd, t.fsContext().root) + "\0").getBytes(StandardCharsets.UTF_8);
        if (a.a1 < p.length) {
            throw new SyscallException(Errno.ERANGE);
        }
        t.mm().copyOut(a.a0, p, 0, p.length);
        return p.length;
    }

    /** umask(2) */
    static long umask(Task t, SyscallArgs a) {
        int old = t.fsContext().umask;
        t.fsContext().umask = (int) a.a0 & 0777;
        return old;
    }

    /**
     * fsync(2), fdatasync(2), syncfs(2): files in memory or on the overlay's read-only lower layer have
     * nothing to write; a bind-mounted file is synced on the host.
     */
    static long fsync(Task t, SyscallArgs a) {
        t.fds().get(a.fd(0)).fsync(t);
        return 0;
    }

    /** sync(2) */
    static long sync(Task t, SyscallArgs a) {
        return 0;
    }

    /** fallocate(2): mode 0 extends the file; other modes are EOPNOTSUPP. */
    static long fallocate(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        if (a.a2 < 0 || a.a3 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Location l = f.location();
        if (l == null) {
            throw new SyscallException(Errno.ESPIPE);
        }
        if (!writable(f.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        if (!isReg(l.inode().mode())) {
            throw new SyscallException(l.inode().isDir() ? Errno.EISDIR : Errno.ENODEV);
        }
        if (a.a1 != 0 && a.a1 != 1 /* KEEP_SIZE */) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        long end = a.a2 + a.a3;
        if (end < 0) {
            throw new SyscallException(Errno.EFBIG);
        }
        if (l.inode() instanceof dev.jvisor.kernel.fs.tmpfs.MemFile mf) {
            mf.checkAllocate(end);
        }
        if (a.a1 == 0 && end > l.inode().size(t)) {
            FileSizeLimit.checkGrow(t, l.inode().size(t), end);
            l.inode().truncate(t, end);
        }
        Fsnotify.modify(f);
        return 0;
    }
}
