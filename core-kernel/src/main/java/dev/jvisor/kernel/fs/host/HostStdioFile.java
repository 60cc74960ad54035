package dev.jvisor.kernel.fs.host;

import com.sun.jna.Memory;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.FileSizeLimit;
import dev.jvisor.platform.host.Libc;

/**
 * One of the sandbox's standard streams, passed through to the host stdio fd of the jvisor process.
 * Only the fd number is state: after a restore the stream is the restoring process's stdio. An
 * <em>owned</em> stream is a host fd the Sentry opened for one process (the stdio of `jvisor exec`):
 * it is closed with its description, and after a restore it is gone (EIO), since that fd number
 * means nothing in the restoring process.
 */
public final class HostStdioFile extends FileDescription {
    private static final long TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
            TIOCGWINSZ = 0x5413, TIOCSPGRP = 0x5410, TIOCGPGRP = 0x540f;
    /** How often a wait on a host stream looks at it again: the host fd cannot wake the sandbox. */
    private static final long RECHECK_NS = 10_000_000;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, SYS_FCNTL = 72, F_GETFL = 3, O_APPEND = 02000,
            SEEK_CUR = 1;
    private final int hostFd;
    private final boolean owned;
    /** Set while an owned fd is open in this process: never after a restore (not serialized). */
    private transient boolean open;

    public HostStdioFile(int hostFd, int flags) {
        this(hostFd, flags, false);
    }

    private HostStdioFile(int hostFd, int flags, boolean owned) {
        super(flags);
        this.hostFd = hostFd;
        this.owned = owned;
        this.open = owned;
    }

    /** A stream on {@code hostFd}, which the Sentry opened for it and which it now owns. */
    public static HostStdioFile owning(int hostFd, int flags) {
        return new HostStdioFile(hostFd, flags, true);
    }

    public int hostFd() {
        return hostFd;
    }

    /** Whether this stream owns its host fd (then nothing else may use the fd number). */
    public boolean owned() {
        return owned;
    }

    /** The host fd, or EIO for an owned stream that is closed or did not survive a restore. */
    private int fd() {
        if (owned && !open) {
            throw new SyscallException(Errno.EIO);
        }
        return hostFd;
    }

    @Override
    public synchronized void release() {
        if (owned && open) {
            open = false;
            Libc.close(hostFd);
        }
    }

    @Override
    public long read(Task t, long addr, long len) {
        return t.mm().transfer(addr, len, true, (host, n) -> hostResult(Libc.read(fd(), host, n)));
    }

    @Override
    public long write(Task t, long addr, long len) {
        if (t != null && t.threadGroup().limits.soft[Limits.RLIMIT_FSIZE] != Limits.INFINITY) {
            len = limitRegularFile(t, len);
        }
        return t.mm().transfer(addr, len, false, (host, n) -> hostResult(Libc.write(fd(), host, n)));
    }

    /**
     * RLIMIT_FSIZE applies when the stream is a regular file on the host (output redirected to a
     * file), as it does natively; checked only when the limit is finite, so pipes and terminals pay
     * nothing.
     */
    private long limitRegularFile(Task t, long len) {
        long size;
        try (Memory m = new Memory(144)) {
            if (Libc.fstat(fd(), com.sun.jna.Pointer.nativeValue(m)) != 0 || (m.getInt(24) & S_IFMT) != S_IFREG) {
                return len;
            }
            size = m.getLong(48);
        }
        boolean append = (Libc.syscall(SYS_FCNTL, fd(), F_GETFL, 0, 0, 0, 0) & O_APPEND) != 0;
        long pos = append ? size : Libc.lseek(fd(), 0, SEEK_CUR);
        return pos < 0 ? len : FileSizeLimit.clampWrite(t, pos, len);
    }

    @Override
    public long pread(Task t, long addr, long len, long offset) {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] pos = {offset};
        return t.mm().transfer(addr, len, true, (host, n) -> {
            long r = hostResult(Libc.pread(fd(), host, n, pos[0]));
            pos[0] += r;
            return r;
        });
    }

    @Override
    public long seek(Task t, long offset, int whence) {
        return hostResult(Libc.lseek(fd(), offset, whence));
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        int size;
        if (request == TCGETS) {
            size = 36;
        } else if (request == TIOCGWINSZ) {
            size = 8;
        } else if (request == TIOCGPGRP) {
            // The foreground process group is the sandbox's own, never the host's.
            if (Libc.isatty(fd()) == 0) {
                throw new SyscallException(Errno.ENOTTY);
            }
            t.mm().writeInt(arg, t.kernel.foregroundPgrp());
            return 0;
        } else if (request == TIOCSPGRP) {
            if (Libc.isatty(fd()) == 0) {
                throw new SyscallException(Errno.ENOTTY);
            }
            int pgid = t.mm().readInt(arg);
            if (pgid < 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            int sid = t.threadGroup().sid;
            if (t.kernel.groups().stream().noneMatch(g -> g.pgid == pgid && g.sid == sid)) {
                throw new SyscallException(Errno.EPERM);
            }
            t.kernel.setForegroundPgrp(pgid);
            return 0;
        } else if (request == TCSETS || request == TCSETSW || request == TCSETSF) {
            try (Memory m = new Memory(64)) {
                byte[] b = t.mm().read(arg, 36);
                m.write(0, b, 0, b.length);
                return hostResult(Libc.ioctl(fd(), request, com.sun.jna.Pointer.nativeValue(m)));
            }
        } else {
            return super.ioctl(t, request, arg);
        }
        try (Memory m = new Memory(64)) {
            hostResult(Libc.ioctl(fd(), request, com.sun.jna.Pointer.nativeValue(m)));
            t.mm().copyOut(arg, m.getByteArray(0, size), 0, size);
            return 0;
        }
    }

    @Override
    public byte[] stat(Task t) {
        try (Memory m = new Memory(144)) {
            hostResult(Libc.fstat(fd(), com.sun.jna.Pointer.nativeValue(m)));
            return m.getByteArray(0, 144);
        }
    }

    /** The host fd's readiness, by a host poll(2) with a zero timeout. */
    @Override
    public int readiness(int mask) {
        if (owned && !open) {
            return PollEvents.POLLERR | PollEvents.POLLHUP;
        }
        try (Memory m = new Memory(8)) {
            m.setInt(0, hostFd);
            int events = (mask & 0xffff) | PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLPRI
                    | PollEvents.POLLRDNORM | PollEvents.POLLWRNORM | PollEvents.POLLRDHUP;
            m.setShort(4, (short) events);
            m.setShort(6, (short) 0);
            int r;
            do {
                r = Libc.poll(com.sun.jna.Pointer.nativeValue(m), 1, 0);
            } while (r < 0 && Libc.errno() == Libc.EINTR);
            if (r < 0) {
                return PollEvents.POLLERR;
            }
            int revents = m.getShort(6) & 0xffff;
            // The sandbox's fd is open, whatever happened to the host's: never report it invalid.
            return (revents & PollEvents.POLLNVAL) != 0 ? PollEvents.POLLERR | PollEvents.POLLHUP : revents;
        }
    }

    /** Nothing wakes the sandbox when a host stream changes: waits look again in short slices. */
    @Override
    public long nextReadinessChangeNanos(long now) {
        return now + RECHECK_NS;
    }

    /**
     * As the host file's own poll operation: pipes, sockets and terminals have one; regular files,
     * directories and the memory devices (/dev/null, zero, full, urandom) do not (epoll: EPERM).
     */
    @Override
    public boolean pollable() {
        if (owned && !open) {
            return true;
        }
        try (Memory m = new Memory(144)) {
            if (Libc.fstat(hostFd, com.sun.jna.Pointer.nativeValue(m)) < 0) {
                return true;
            }
            int mode = m.getInt(24);
            long rdev = m.getLong(40);
            int type = mode & FileMode.S_IFMT;
            if (type == FileMode.S_IFREG || type == FileMode.S_IFDIR) {
                return false;
            }
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            return !(type == FileMode.S_IFCHR && major == 1 && minor != 8);
        }
    }

    @Override
    public String describe() {
        return "host:[" + hostFd + "]";
    }

    private static long hostResult(long r) {
        if (r < 0) {
            throw new SyscallException(Libc.errno());
        }
        return r;
    }
}
