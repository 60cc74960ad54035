package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;

/** File syscalls: read(2), write(2), the vectored and positional variants, fds, stat, ioctl. */
final class SysFile {
    private SysFile() {}

    private static final int IOV_MAX = 1024;
    private static final long MAX_RW = 0x7ffff000L; // Linux's MAX_RW_COUNT
    private static final int O_CLOEXEC = 0x80000;
    private static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    /** Status flags F_SETFL may change: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK. */
    private static final int SETFL_MASK = 0x400 | 0x2000 | 0x4000 | 0x40000 | 0x800;

    private static long count(long len) {
        if (len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return Math.min(len, MAX_RW);
    }

    /** read(2) */
    static long read(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return f.read(t, a.a1, count(a.a2));
    }

    /** write(2) */
    static long write(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        return f.write(t, a.a1, count(a.a2));
    }

    /** pread64(2) */
    static long pread64(Task t, SyscallArgs a) {
        return t.fds().get(a.fd(0)).pread(t, a.a1, count(a.a2), a.a3);
    }

    private static long[] iovecs(Task t, long addr, long n) {
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

    /** readv(2): fills the buffers in order, stopping at the first short read. */
    static long readv(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        long[] iov = iovecs(t, a.a1, a.a2);
        long done = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            long n = f.read(t, iov[i], iov[i + 1]);
            done += n;
            if (n < iov[i + 1]) {
                break;
            }
        }
        return done;
    }

    /** writev(2) */
    static long writev(Task t, SyscallArgs a) {
        FileDescription f = t.fds().get(a.fd(0));
        long[] iov = iovecs(t, a.a1, a.a2);
        long done = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            long n = f.write(t, iov[i], iov[i + 1]);
            done += n;
            if (n < iov[i + 1]) {
                break;
            }
        }
        return done;
    }

    /** close(2) */
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

    /** ioctl(2) */
    static long ioctl(Task t, SyscallArgs a) {
        return t.fds().get(a.fd(0)).ioctl(t, a.a1 & 0xffffffffL, a.a2);
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
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }
}
