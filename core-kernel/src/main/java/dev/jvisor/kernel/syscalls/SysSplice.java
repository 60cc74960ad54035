package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.fs.pipe.PipeSplice;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/**
 * splice(2), tee(2) and vmsplice(2) (Linux's fs/splice.c), by copying: pipe buffers move or are
 * copied slot by slot between pipes (PipeSplice); a file end is read or written through the file's
 * own operations.
 */
final class SysSplice {
    private SysSplice() {}

    private static final long MAX_RW = 0x7ffff000L;
    private static final int SPLICE_F_NONBLOCK = 2, SPLICE_F_ALL = 0xf;
    private static final int SEEK_SET = 0, SEEK_CUR = 1;

    private static long count(long len) {
        return Long.compareUnsigned(len, MAX_RW) > 0 ? MAX_RW : len;
    }

    /**
     * splice(2): between two pipes, or between a pipe and a file. Pipes take no offset (ESPIPE); a
     * pipe spliced to itself, two non-pipes, an O_APPEND output or an offset on an unseekable file
     * are EINVAL. SPLICE_F_NONBLOCK (or O_NONBLOCK on a pipe end) turns waiting into EAGAIN.
     */
    static long splice(Task t, SyscallArgs a) {
        long len = count(a.a4);
        int flags = (int) a.a5;
        if (a.a4 == 0) {
            return 0;
        }
        if ((a.a5 & ~(long) SPLICE_F_ALL) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileDescription in = t.fds().get(a.fd(0));
        FileDescription out = t.fds().get(a.fd(2));
        PipeFileDescription ip = in instanceof PipeFileDescription p ? p : null;
        PipeFileDescription op = out instanceof PipeFileDescription p ? p : null;
        if (ip != null && a.a1 != 0 || op != null && a.a3 != 0) {
            throw new SyscallException(Errno.ESPIPE);
        }
        long outOff = a.a3 != 0 ? t.mm().readLong(a.a3) : -1;
        long inOff = a.a1 != 0 ? t.mm().readLong(a.a1) : -1;
        if (!FileMode.readable(in.flags()) || !FileMode.writable(out.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        boolean nonblock = (flags & SPLICE_F_NONBLOCK) != 0;
        if (ip != null && op != null) {
            if (ip.pipe() == op.pipe()) {
                throw new SyscallException(Errno.EINVAL);
            }
            nonblock |= ((in.flags() | out.flags()) & FileMode.O_NONBLOCK) != 0;
            return SysFile.modified(out, SysFile.accessed(in, PipeSplice.splice(t, ip, op, len, nonblock)));
        }
        if (ip != null) {
            return pipeToFile(t, ip, out, a.a3, outOff, len, nonblock || (in.flags() & FileMode.O_NONBLOCK) != 0);
        }
        if (op != null) {
            return fileToPipe(t, in, op, a.a1, inOff, len, nonblock || (out.flags() & FileMode.O_NONBLOCK) != 0);
        }
        throw new SyscallException(Errno.EINVAL);
    }

    /** do_splice_from: what the pipe holds (waiting for some) is written to the file. */
    private static long pipeToFile(Task t, PipeFileDescription in, FileDescription out, long offAddr, long off,
            long len, boolean nonblock) {
        boolean explicit = offAddr != 0;
        if (explicit && (out.location() == null || off < 0)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((out.flags() & FileMode.O_APPEND) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] buf = new byte[(int) Math.min(len, in.pipe().capacity())];
        long got = in.readBytes(t, buf, 0, buf.length, nonblock);
        if (got <= 0) {
            return got;
        }
        try (SysPipe.Writer w = new SysPipe.Writer(t, out)) {
            long put = w.write(buf, (int) got, explicit ? off : -1);
            if (explicit) {
                t.mm().writeLong(offAddr, off + put);
            }
            return SysFile.modified(out, SysFile.accessed(in, put));
        }
    }

    /** splice_file_to_pipe: a regular file's bytes from the offset into the pipe, as much as fits. */
    private static long fileToPipe(Task t, FileDescription in, PipeFileDescription out, long offAddr, long off,
            long len, boolean nonblock) {
        Inode src = SysPipe.regularFile(in);
        if (src == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean explicit = offAddr != 0;
        long pos = explicit ? off : in.seek(t, 0, SEEK_CUR);
        if (pos < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long done = PipeSplice.fromFile(t, src, pos, out, len, nonblock);
        if (explicit) {
            t.mm().writeLong(offAddr, pos + done);
        } else if (done > 0) {
            in.seek(t, pos + done, SEEK_SET);
        }
        return SysFile.modified(out, SysFile.accessed(in, done));
    }

    /**
     * tee(2): copies up to {@code len} bytes from one pipe to another without consuming them. Both
     * ends must be pipes, and different ones (EINVAL); SPLICE_F_NONBLOCK or O_NONBLOCK on either end
     * turns waiting into EAGAIN.
     */
    static long tee(Task t, SyscallArgs a) {
        if ((a.a3 & ~(long) SPLICE_F_ALL) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (a.a2 == 0) {
            return 0;
        }
        FileDescription in = t.fds().get(a.fd(0));
        FileDescription out = t.fds().get(a.fd(1));
        if (!FileMode.readable(in.flags()) || !FileMode.writable(out.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        if (!(in instanceof PipeFileDescription ip) || !(out instanceof PipeFileDescription op)
                || ip.pipe() == op.pipe()) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean nonblock = (a.a3 & SPLICE_F_NONBLOCK) != 0 || ((in.flags() | out.flags()) & FileMode.O_NONBLOCK) != 0;
        return SysFile.modified(out, SysFile.accessed(in, PipeSplice.tee(t, ip, op, count(a.a2), nonblock)));
    }

    /**
     * vmsplice(2), as a copy: an fd open for writing takes the caller's memory into its pipe, one
     * open for reading fills the caller's memory from its pipe. EBADF for anything but a pipe; only
     * SPLICE_F_NONBLOCK makes it non-blocking.
     */
    static long vmsplice(Task t, SyscallArgs a) {
        if ((a.a3 & ~(long) SPLICE_F_ALL) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileDescription f = t.fds().get(a.fd(0));
        boolean toPipe = FileMode.writable(f.flags());
        if (!toPipe && !FileMode.readable(f.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        long[] iov = SysFile.iovecs(t, a.a1, a.a2);
        long total = 0;
        for (int i = 1; i < iov.length; i += 2) {
            total += iov[i];
        }
        if (total == 0) {
            return 0;
        }
        if (!(f instanceof PipeFileDescription p)) {
            throw new SyscallException(Errno.EBADF);
        }
        boolean nonblock = (a.a3 & SPLICE_F_NONBLOCK) != 0;
        if (toPipe) {
            return SysFile.modified(f, PipeSplice.toPipe(t, p, iov, nonblock));
        }
        return SysFile.accessed(f, PipeSplice.fromPipe(t, p, iov, nonblock));
    }
}
