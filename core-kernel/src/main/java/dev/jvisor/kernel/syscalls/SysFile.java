package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileLocks;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Fsnotify;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.PollEvents;

/** File syscalls: read(2), write(2), the vectored and positional variants, fds, stat, ioctl. */
final class SysFile {
    private SysFile() {}

    private static final int IOV_MAX = 1024;
    private static final long MAX_RW = 0x7ffff000L; // Linux's MAX_RW_COUNT
    private static final int O_CLOEXEC = 0x80000;
    private static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_DUPFD_CLOEXEC = 1030,
            F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    /** Status flags F_SETFL may change: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK. */
    private static final int SETFL_MASK = 0x400 | 0x2000 | 0x4000 | 0x40000 | 0x800;

    private static long count(long len) {
        if (len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return Math.min(len, MAX_RW);
    }

    /** A read that moved bytes is IN_ACCESS for inotify (vfs_read's fsnotify_access). */
    static long accessed(FileDescription f, long n) {
        if (n > 0) {
            Fsnotify.access(f);
        }
        return n;
    }

    /** A write that moved bytes is IN_MODIFY for inotify. */
    static long modified(FileDescription f, long n) {
        if (n > 0) {
            Fsnotify.modify(f);
        }
        return n;
    }

    /** read(2) */
    static long read(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return accessed(f, f.read(t, a.a1, count(a.a2)));
    }

    /** write(2) */
    static long write(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return modified(f, f.write(t, a.a1, count(a.a2)));
    }

    /** pread64(2) */
    static long pread64(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return accessed(f, f.pread(t, a.a1, count(a.a2), a.a3));
    }

    /** The iovec array as {address, length} pairs (EINVAL for too many or an overflowing total). */
    static long[] iovecs(Task t, long addr, long n) {
        if (n < 0 || n > IOV_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] iov = new long[(int) n * 2];
        long total = 0;
        for (int i = 0; i < n; i++) {
            iov[2 * i] = t.mm().readLong(addr + 16L * i);
            iov[2 * i + 1] = t.mm().readLong(addr + 16L * i + 8);
            total += iov[2 * i + 1];
            if (iov[2 * i + 1] < 0 || total < 0) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
        return iov;
    }

    /** One transfer of a vectored call: {@code len} bytes at app address {@code addr}, {@code done} bytes in. */
    @FunctionalInterface
    private interface Segment {
        long apply(long addr, long len, long done);
    }

    /** Runs a vectored call over its iovecs in order, stopping at the first short transfer. */
    private static long vectored(Task t, long iovAddr, long count, Segment op) {
        return vectored(iovecs(t, iovAddr, count), op);
    }

    /**
     * The transfer loop of a vectored call: a short transfer ends it, and so does an error once some
     * bytes moved (the count is returned, as Linux returns a partial transfer).
     */
    private static long vectored(long[] iov, Segment op) {
        long done = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            long n;
            try {
                n = op.apply(iov[i], iov[i + 1], done);
            } catch (SyscallException e) {
                if (done > 0) {
                    break;
                }
                throw e;
            }
            done += n;
            if (n < iov[i + 1]) {
                break;
            }
        }
        return done;
    }

    /** readv(2) */
    static long readv(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        if (f instanceof dev.jvisor.kernel.net.SocketFile s) {
            // A socket takes the whole vector in one receive (one datagram fills all the buffers).
            return s.readv(t, dev.jvisor.kernel.net.IoVec.fromUser(t, a.a1, a.a2, Errno.EINVAL));
        }
        return accessed(f, vectored(t, a.a1, a.a2, (addr, len, done) -> f.read(t, addr, len)));
    }

    /** writev(2) */
    static long writev(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        if (f instanceof dev.jvisor.kernel.net.SocketFile s) {
            return s.writev(t, dev.jvisor.kernel.net.IoVec.fromUser(t, a.a1, a.a2, Errno.EINVAL));
        }
        return modified(f, vectored(t, a.a1, a.a2, (addr, len, done) -> f.write(t, addr, len)));
    }

    /** close(2): also drops the process's POSIX record locks on the file (FdTable), as Linux does. */
    static long close(Task t, SyscallArgs a) {
        t.fds().close(a.fd(0));
        return 0;
    }

    /** lseek(2) */
    static long lseek(Task t, SyscallArgs a) {
        int whence = (int) a.a2;
        if (whence < 0 || whence > 4) {
            throw new SyscallException(Errno.EINVAL);
        }
        return t.fds().get(a.fd(0)).seek(t, a.a1, whence);
    }

    private static final long FIONREAD = 0x541b, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451,
            FIOASYNC = 0x5452;
    private static final int O_NONBLOCK = 0x800;

    /** ioctl(2): the generic requests here, the rest by the file. */
    static long ioctl(Task t, SyscallArgs a) {
        int fd = a.fd(0);
        FileDescription f = t.fds().get(fd);
        long req = a.a1 & 0xffffffffL;
        if (req == FIOCLEX || req == FIONCLEX) {
            t.fds().setCloseOnExec(fd, req == FIOCLEX);
            return 0;
        }
        if (req == FIONBIO) {
            int on = t.mm().readInt(a.a2);
            f.setFlags(on != 0 ? f.flags() | O_NONBLOCK : f.flags() & ~O_NONBLOCK);
            return 0;
        }
        if (req == FIOASYNC) {
            t.mm().readInt(a.a2);
            return 0;
        }
        if (req == FIONREAD && f.location() != null && dev.jvisor.kernel.vfs.FileMode.isReg(f.location().inode().mode())
                && f instanceof dev.jvisor.kernel.vfs.InodeFileDescription ifd) {
            long left = Math.max(0, f.location().inode().size(t) - ifd.offset());
            t.mm().writeInt(a.a2, (int) Math.min(left, Integer.MAX_VALUE));
            return 0;
        }
        return f.ioctl(t, req, a.a2);
    }

    /** fadvise64(2): advice is a hint; the arguments are checked as Linux does. */
    static long fadvise64(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        if (f.location() == null) {
            throw new SyscallException(Errno.ESPIPE);
        }
        if (a.a3 < 0 || a.a3 > 5 || a.a2 < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    /** pwrite64(2) */
    static long pwrite64(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return modified(f, f.pwrite(t, a.a1, count(a.a2), a.a3));
    }

    /** preadv(2) */
    static long preadv(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return accessed(f, vectored(t, a.a1, a.a2, (addr, len, done) -> f.pread(t, addr, len, a.a3 + done)));
    }

    /** pwritev(2) */
    static long pwritev(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return modified(f, vectored(t, a.a1, a.a2, (addr, len, done) -> f.pwrite(t, addr, len, a.a3 + done)));
    }

    /** preadv2(2) */
    static long preadv2(Task t, SyscallArgs a) {
        return rw2(t, a, false);
    }

    /** pwritev2(2) */
    static long pwritev2(Task t, SyscallArgs a) {
        return rw2(t, a, true);
    }

    /**
     * preadv2/pwritev2: offset -1 means the file offset (readv/writev), any other negative one is
     * EINVAL. The RWF_* flags as Linux takes them: HIPRI, DSYNC, SYNC are hints here (everything is
     * in memory); NOWAIT needs a file that can refuse to block (pipes, sockets, devices; EOPNOTSUPP on
     * tmpfs, as Linux) and then fails with EAGAIN instead of blocking; APPEND writes at the end,
     * NOAPPEND ignores O_APPEND for this call (both: EINVAL); NOSIGNAL spares a pipe writer SIGPIPE;
     * any other flag is EOPNOTSUPP. Flags are
     * looked at only when there is something to transfer, as in Linux.
     */
    private static long rw2(Task t, SyscallArgs a, boolean write) {
        long pos = a.a3;
        int flags = (int) a.a5;
        if (pos < -1) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileDescription f = t.fds().get(a.fd(0));
        if (pos >= 0 && !seekable(f)) {
            throw new SyscallException(Errno.ESPIPE);
        }
        if (write ? !FileMode.writable(f.flags()) : !FileMode.readable(f.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        long[] iov = iovecs(t, a.a1, a.a2);
        long total = 0;
        for (int i = 1; i < iov.length; i += 2) {
            total += iov[i];
        }
        if (total == 0) {
            return 0;
        }
        if ((flags & ~RWF_KNOWN) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if ((flags & RWF_APPEND) != 0 && (flags & RWF_NOAPPEND) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean nowait = (flags & RWF_NOWAIT) != 0;
        if (nowait) {
            if (!canNowait(f)) {
                throw new SyscallException(Errno.EOPNOTSUPP);
            }
            int ready = f.readiness(write ? PollEvents.POLLOUT | PollEvents.POLLERR : PollEvents.POLLIN
                    | PollEvents.POLLHUP | PollEvents.POLLERR);
            int want = write ? PollEvents.POLLOUT | PollEvents.POLLERR : PollEvents.POLLIN | PollEvents.POLLHUP
                    | PollEvents.POLLERR;
            if ((ready & want) == 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
        }
        if (!write) {
            if (f instanceof PipeFileDescription p && pos == -1) {
                return accessed(f, vectored(iov, (addr, len, done) -> p.read(t, addr, len, nowait)));
            }
            if (f instanceof dev.jvisor.kernel.net.SocketFile s) {
                return s.readv(t, dev.jvisor.kernel.net.IoVec.fromUser(t, a.a1, a.a2, Errno.EINVAL));
            }
            return accessed(f, vectored(iov, (addr, len, done) -> pos == -1 ? f.read(t, addr, len)
                    : f.pread(t, addr, len, pos + done)));
        }
        if (f instanceof PipeFileDescription p && pos == -1) {
            boolean nosignal = (flags & RWF_NOSIGNAL) != 0;
            return modified(f, vectored(iov, (addr, len, done) -> p.write(t, addr, len, nowait, nosignal)));
        }
        if (f instanceof dev.jvisor.kernel.net.SocketFile s) {
            return s.writev(t, dev.jvisor.kernel.net.IoVec.fromUser(t, a.a1, a.a2, Errno.EINVAL));
        }
        boolean append = (flags & RWF_APPEND) != 0;
        boolean noAppend = (flags & RWF_NOAPPEND) != 0 && (f.flags() & FileMode.O_APPEND) != 0;
        if (f instanceof InodeFileDescription ifd && (append || noAppend)) {
            return modified(f, vectored(iov, (addr, len, done) -> ifd.writeAt(t, addr, len,
                    pos == -1 ? -1 : pos + done, append)));
        }
        return modified(f, vectored(iov, (addr, len, done) -> pos == -1 ? f.write(t, addr, len)
                : f.pwrite(t, addr, len, pos + done)));
    }

    private static final int RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8, RWF_APPEND = 0x10,
            RWF_NOAPPEND = 0x20, RWF_NOSIGNAL = 0x100;
    /** RWF_ATOMIC (0x40) and RWF_DONTCACHE (0x80) are EOPNOTSUPP on tmpfs in Linux too, so unknown here. */
    private static final int RWF_KNOWN = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND
            | RWF_NOSIGNAL;

    /**
     * Whether the file may have positions (FMODE_PREAD): pipes and sockets never do (ESPIPE before
     * anything else); for the rest, pread/pwrite say (host stdio redirected to a file has them).
     */
    private static boolean seekable(FileDescription f) {
        return !(f instanceof PipeFileDescription) && !(f instanceof dev.jvisor.kernel.net.SocketFile);
    }

    /** Linux's FMODE_NOWAIT: pipes, sockets and character devices; not tmpfs or overlay files. */
    private static boolean canNowait(FileDescription f) {
        return f instanceof PipeFileDescription || f instanceof dev.jvisor.kernel.net.SocketFile
                || f instanceof dev.jvisor.kernel.fs.dev.DeviceFile;
    }

    /** readahead(2): a hint for a regular file open for reading (EBADF otherwise, EINVAL if not regular). */
    static long readahead(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        if (!FileMode.readable(f.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        if (f.location() == null || !FileMode.isReg(f.location().inode().mode()) || f instanceof PipeFileDescription) {
            throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    /**
     * sync_file_range(2): nothing to write back (files live in memory); the arguments are checked as
     * Linux does: unknown flags, a negative offset or an overflowing range are EINVAL, and anything
     * but a regular file, directory or symlink is ESPIPE.
     */
    static long syncFileRange(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        long off = a.a1, n = a.a2;
        long end = off + n;
        if ((a.a3 & ~7L) != 0 || off < 0 || end < 0 || end < off) {
            throw new SyscallException(Errno.EINVAL);
        }
        dev.jvisor.kernel.vfs.Location l = f instanceof PipeFileDescription ? null : f.location();
        int type = l == null ? 0 : l.inode().type();
        if (type != FileMode.S_IFREG && type != FileMode.S_IFBLK && type != FileMode.S_IFDIR
                && type != FileMode.S_IFLNK) {
            throw new SyscallException(Errno.ESPIPE);
        }
        return 0;
    }

    /** close_range(2): CLOSE_RANGE_CLOEXEC marks instead of closing; UNSHARE is a no-op (one fd table per process). */
    static long closeRange(Task t, SyscallArgs a) {
        long first = a.a0 & 0xffffffffL, last = a.a1 & 0xffffffffL;
        int flags = (int) a.a2;
        if ((flags & ~(2 | 4)) != 0 || first > last) {
            throw new SyscallException(Errno.EINVAL);
        }
        long max = t.fds().highestFd();
        for (long fd = first; fd <= Math.min(last, max); fd++) {
            if (!t.fds().isOpen((int) fd)) {
                continue;
            }
            if ((flags & 4) != 0) {
                t.fds().setCloseOnExec((int) fd, true);
            } else {
                t.fds().close((int) fd);
            }
        }
        return 0;
    }

    /** flock(2): shared and exclusive locks per open file description, with Linux's conflicts. */
    static long flock(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        boolean nonblock = (a.a1 & 4) != 0;
        int op = (int) a.a1 & ~4;
        if (op != 1 && op != 2 && op != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        dev.jvisor.kernel.vfs.Location l = f.location();
        if (l == null) {
            return 0;
        }
        FileLocks locks = l.inode().locks();
        if (op == 8) {
            locks.unflock(f);
            return 0;
        }
        int type = op == 1 ? FileLocks.FLOCK_SH : FileLocks.FLOCK_EX;
        while (!locks.tryFlock(f, type)) {
            if (nonblock) {
                throw new SyscallException(Errno.EAGAIN);
            }
            if (!t.sleepUntil(t.kernel.clock().now() + LOCK_POLL_NANOS)) {
                return -Errno.ERESTARTSYS;
            }
        }
        return 0;
    }

    private static final long LOCK_POLL_NANOS = 10_000_000L;

    /** fcntl record locks (F_GETLK/F_SETLK[W] and the OFD forms); {@code ofd} says who owns them. */
    private static long recordLock(Task t, FileDescription f, int cmd, long addr, boolean ofd) {
        dev.jvisor.kernel.vfs.Location l = f.location();
        if (l == null) {
            throw new SyscallException(Errno.EBADF);
        }
        int type = (short) (t.mm().readInt(addr) & 0xffff);
        int whence = (short) (t.mm().readInt(addr) >>> 16);
        long start = t.mm().readLong(addr + 8);
        long len = t.mm().readLong(addr + 16);
        if (type < 0 || type > 2 || (ofd && t.mm().readInt(addr + 24) != 0)) {
            throw new SyscallException(Errno.EINVAL);
        }
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> f.seek(t, 0, 1);
            case 2 -> l.inode().size(t);
            default -> throw new SyscallException(Errno.EINVAL);
        };
        start += base;
        long end = len == 0 ? Long.MAX_VALUE : start + len;
        if (len < 0) {
            end = start;
            start += len;
        }
        if (start < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        // POSIX locks belong to the fd table (Linux's fl_owner = current->files), OFD locks to the description.
        Object owner = ofd ? f : t.fds();
        int pid = ofd ? -1 : t.threadGroup().tgid;
        FileLocks locks = l.inode().locks();
        boolean get = cmd == F_GETLK || cmd == F_OFD_GETLK;
        if (get) {
            FileLocks.Range c = type == FileLocks.UNLCK ? null : locks.conflict(owner, type, start, end);
            byte[] out = new byte[32];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (c == null) {
                b.putShort((short) FileLocks.UNLCK).putShort((short) whence).putInt(0).putLong(start - base)
                        .putLong(len).putInt(0);
            } else {
                b.putShort((short) c.type()).putShort((short) 0).putInt(0).putLong(c.start()).putLong(c.length())
                        .putInt(c.pid());
            }
            t.mm().copyOut(addr, out, 0, 28);
            return 0;
        }
        if (type == FileLocks.RDLCK && !FileMode.readable(f.flags()) || type == FileLocks.WRLCK && !FileMode.writable(f.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        boolean wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        while (type != FileLocks.UNLCK && locks.conflict(owner, type, start, end) != null) {
            if (!wait) {
                throw new SyscallException(Errno.EAGAIN);
            }
            if (!t.sleepUntil(t.kernel.clock().now() + LOCK_POLL_NANOS)) {
                return -Errno.ERESTARTSYS;
            }
        }
        locks.set(owner, pid, type, start, end);
        return 0;
    }

    /**
     * F_GETPIPE_SZ / F_SETPIPE_SZ (pipe_fcntl): EBADF for anything but a pipe; a new size is rounded
     * up to a power-of-two number of pages (at least one; above 2^31 EINVAL), may exceed
     * /proc/sys/fs/pipe-max-size only with CAP_SYS_RESOURCE (EPERM), and is EBUSY if the data held
     * needs more slots. Returns the capacity.
     */
    private static final long MAX_PIPE_BYTES = 16L << 20;

    private static long pipeSize(Task t, FileDescription f, int cmd, long arg) {
        if (!(f instanceof PipeFileDescription p)) {
            throw new SyscallException(Errno.EBADF);
        }
        if (cmd == F_GETPIPE_SZ) {
            return p.pipe().capacity();
        }
        if (arg > (1L << 31)) {
            throw new SyscallException(Errno.EINVAL);
        }
        long size = Math.max(dev.jvisor.kernel.fs.pipe.Pipe.PAGE, Long.highestOneBit(Math.max(1, arg - 1)) << 1);
        if (arg <= dev.jvisor.kernel.fs.pipe.Pipe.PAGE) {
            size = dev.jvisor.kernel.fs.pipe.Pipe.PAGE;
        }
        int slots = (int) (size / dev.jvisor.kernel.fs.pipe.Pipe.PAGE);
        if (size > p.pipe().capacity() && size > dev.jvisor.kernel.fs.pipe.Pipe.MAX_SIZE
                && !t.threadGroup().creds.hasCap(dev.jvisor.kernel.Capabilities.CAP_SYS_RESOURCE)) {
            throw new SyscallException(Errno.EPERM);
        }
        if (size > MAX_PIPE_BYTES) {
            // The ring lives in the Sentry's heap: a privileged caller still gets at most this much.
            throw new SyscallException(Errno.ENOMEM);
        }
        p.pipe().resize(slots);
        return size;
    }

    /** fstat(2) */
    static long fstat(Task t, SyscallArgs a) {
        byte[] st = t.fds().get(a.fd(0)).stat(t);
        t.mm().copyOut(a.a1, st, 0, st.length);
        return 0;
    }

    private static long limit(Task t) {
        return t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
    }

    /** dup(2) */
    static long dup(Task t, SyscallArgs a) {
        FdTable fds = t.fds();
        return fds.install(fds.get(a.fd(0)), 0, false, limit(t));
    }

    /** dup2(2) */
    static long dup2(Task t, SyscallArgs a) {
        FdTable fds = t.fds();
        FileDescription f = fds.get(a.fd(0));
        int newFd = a.fd(1);
        if (newFd == a.fd(0)) {
            return newFd;
        }
        return replace(t, f, newFd, false);
    }

    /** dup3(2) */
    static long dup3(Task t, SyscallArgs a) {
        if ((a.a2 & ~O_CLOEXEC) != 0 || a.fd(0) == a.fd(1)) {
            throw new SyscallException(Errno.EINVAL);
        }
        return replace(t, t.fds().get(a.fd(0)), a.fd(1), (a.a2 & O_CLOEXEC) != 0);
    }

    private static long replace(Task t, FileDescription f, int newFd, boolean cloexec) {
        if (newFd < 0 || newFd >= limit(t)) {
            throw new SyscallException(Errno.EBADF);
        }
        FdTable fds = t.fds();
        try {
            fds.close(newFd);
        } catch (SyscallException notOpen) {
            // dup2 onto a free fd
        }
        fds.set(newFd, f, cloexec);
        return newFd;
    }

    /** fcntl(2) */
    static long fcntl(Task t, SyscallArgs a) {
        FdTable fds = t.fds();
        int fd = a.fd(0);
        FileDescription f = fds.get(fd);
        switch ((int) a.a1) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                if (a.a2 < 0 || a.a2 >= limit(t)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return fds.install(f, (int) a.a2, a.a1 == F_DUPFD_CLOEXEC, limit(t));
            }
            case F_GETFD -> {
                return fds.closeOnExec(fd) ? 1 : 0;
            }
            case F_SETFD -> {
                fds.setCloseOnExec(fd, (a.a2 & 1) != 0);
                return 0;
            }
            case F_GETFL -> {
                return f.flags();
            }
            case F_SETFL -> {
                f.setFlags((f.flags() & ~SETFL_MASK) | ((int) a.a2 & SETFL_MASK));
                return 0;
            }
            case F_GETLK, F_SETLK, F_SETLKW -> {
                return recordLock(t, f, (int) a.a1, a.a2, false);
            }
            case F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW -> {
                return recordLock(t, f, (int) a.a1, a.a2, true);
            }
            case F_GETPIPE_SZ, F_SETPIPE_SZ -> {
                return pipeSize(t, f, (int) a.a1, a.a2 & 0xffffffffL);
            }
            case F_GET_SEALS -> {
                return SysMemfd.getSeals(f);
            }
            case F_ADD_SEALS -> {
                return SysMemfd.addSeals(t, f, a.a2 & 0xffffffffL);
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }
}
