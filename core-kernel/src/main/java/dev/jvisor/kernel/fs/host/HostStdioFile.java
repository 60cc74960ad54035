package dev.jvisor.kernel.fs.host;

import com.sun.jna.Memory;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileSizeLimit;
import dev.jvisor.platform.host.Libc;

/**
 * One of the sandbox's standard streams, passed through to the host stdio fd of the jvisor process.
 * Only the fd number is state: after a restore the stream is the restoring process's stdio.
 */
public final class HostStdioFile extends FileDescription {
    private static final long TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404,
            TIOCGWINSZ = 0x5413, TIOCSPGRP = 0x5410, TIOCGPGRP = 0x540f;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, SYS_FCNTL = 72, F_GETFL = 3, O_APPEND = 02000,
            SEEK_CUR = 1;
    private final int hostFd;

    public HostStdioFile(int hostFd, int flags) {
        super(flags);
        this.hostFd = hostFd;
    }

    public int hostFd() {
        return hostFd;
    }

    @Override
    public long read(Task t, long addr, long len) {
        return t.mm().transfer(addr, len, true, (host, n) -> hostResult(Libc.read(hostFd, host, n)));
    }

    @Override
    public long write(Task t, long addr, long len) {
        if (t != null && t.threadGroup().limits.soft[Limits.RLIMIT_FSIZE] != Limits.INFINITY) {
            len = limitRegularFile(t, len);
        }
        return t.mm().transfer(addr, len, false, (host, n) -> hostResult(Libc.write(hostFd, host, n)));
    }

    /**
     * RLIMIT_FSIZE applies when the stream is a regular file on the host (output redirected to a
     * file), as it does natively; checked only when the limit is finite, so pipes and terminals pay
     * nothing.
     */
    private long limitRegularFile(Task t, long len) {
        long size;
        try (Memory m = new Memory(144)) {
            if (Libc.fstat(hostFd, com.sun.jna.Pointer.nativeValue(m)) != 0 || (m.getInt(24) & S_IFMT) != S_IFREG) {
                return len;
            }
            size = m.getLong(48);
        }
        boolean append = (Libc.syscall(SYS_FCNTL, hostFd, F_GETFL, 0, 0, 0, 0) & O_APPEND) != 0;
        long pos = append ? size : Libc.lseek(hostFd, 0, SEEK_CUR);
        return pos < 0 ? len : FileSizeLimit.clampWrite(t, pos, len);
    }

    @Override
    public long pread(Task t, long addr, long len, long offset) {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] pos = {offset};
        return t.mm().transfer(addr, len, true, (host, n) -> {
            long r = hostResult(Libc.pread(hostFd, host, n, pos[0]));
            pos[0] += r;
            return r;
        });
    }

    @Override
    public long seek(Task t, long offset, int whence) {
        return hostResult(Libc.lseek(hostFd, offset, whence));
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
            if (Libc.isatty(hostFd) == 0) {
                throw new SyscallException(Errno.ENOTTY);
            }
            t.mm().writeInt(arg, t.kernel.foregroundPgrp());
            return 0;
        } else if (request == TIOCSPGRP) {
            if (Libc.isatty(hostFd) == 0) {
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
                return hostResult(Libc.ioctl(hostFd, request, com.sun.jna.Pointer.nativeValue(m)));
            }
        } else {
            return super.ioctl(t, request, arg);
        }
        try (Memory m = new Memory(64)) {
            hostResult(Libc.ioctl(hostFd, request, com.sun.jna.Pointer.nativeValue(m)));
            t.mm().copyOut(arg, m.getByteArray(0, size), 0, size);
            return 0;
        }
    }

    @Override
    public byte[] stat(Task t) {
        try (Memory m = new Memory(144)) {
            hostResult(Libc.fstat(hostFd, com.sun.jna.Pointer.nativeValue(m)));
            return m.getByteArray(0, 144);
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
