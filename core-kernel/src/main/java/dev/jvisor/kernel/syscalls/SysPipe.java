package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.vfs.FileMode.O_APPEND;
import static dev.jvisor.kernel.vfs.FileMode.O_CLOEXEC;
import static dev.jvisor.kernel.vfs.FileMode.O_DIRECT;
import static dev.jvisor.kernel.vfs.FileMode.O_NONBLOCK;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.pipe.Pipe;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** Pipes and in-kernel copies: pipe(2), pipe2(2), sendfile(2), copy_file_range(2) (splice: SysSplice). */
final class SysPipe {
    private SysPipe() {}

    private static final long MAX_RW = 0x7ffff000L; // Linux's MAX_RW_COUNT
    private static final int CHUNK = 1 << 16;
    private static final int SEEK_SET = 0, SEEK_CUR = 1;

    /** pipe(2) */
    static long pipe(Task t, SyscallArgs a) {
        return makePipe(t, a.a0, 0);
    }

    /** pipe2(2): O_CLOEXEC and O_NONBLOCK; O_DIRECT (packet mode) is not supported and gives EINVAL. */
    static long pipe2(Task t, SyscallArgs a) {
        int flags = (int) a.a1;
        if ((a.a1 & ~(long) (O_CLOEXEC | O_NONBLOCK | O_DIRECT | 0x80 /* O_NOTIFICATION_PIPE */)) != 0
                || (flags & (O_DIRECT | 0x80)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return makePipe(t, a.a0, flags);
    }

    private static long makePipe(Task t, long addr, int flags) {
        FdTable fds = t.fds();
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        PipeFileDescription[] ends = PipeFileDescription.newPipe(t, t.kernel.pipeFs(), flags & O_NONBLOCK);
        int r;
        try {
            r = fds.install(ends[0], 0, cloexec, limit);
        } catch (SyscallException e) {
            ends[0].release();
            ends[1].release();
            throw e;
        }
        int w;
        try {
            w = fds.install(ends[1], 0, cloexec, limit);
        } catch (SyscallException e) {
            fds.close(r);
            ends[1].release();
            throw e;
        }
        try {
            byte[] b = new byte[8];
            java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(r).putInt(w);
            t.mm().copyOut(addr, b, 0, 8);
        } catch (SyscallException e) {
            fds.close(r);
            fds.close(w);
            throw e;
        }
        return 0;
    }

    // ---- in-kernel copies ---------------------------------------------------------------------------

    /** A regular file's inode that sendfile/copy_file_range can read from, or null. */
    static Inode regularFile(FileDescription f) {
        Location l = f.location();
        return l != null && FileMode.isReg(l.inode().mode()) ? l.inode() : null;
    }

    /**
     * Moves Sentry bytes into a description as write(2) would. Pipes take them directly (blocking as
     * the caller); anything else is written from a private bounce address space, so the app's own
     * address space is never touched.
     */
    static final class Writer implements AutoCloseable {
        private final Task t;
        private final FileDescription out;
        private MemoryManager bounce;
        private Task shadow;
        private long addr;

        Writer(Task t, FileDescription out) {
            this.t = t;
            this.out = out;
        }

        /** Writes at the description's offset (pos < 0) or at {@code pos} (pwrite). */
        long write(byte[] b, int len, long pos) {
            return write(b, len, pos, false);
        }

        /** {@code nonblock}: a pipe refuses to block (SPLICE_F_NONBLOCK). */
        long write(byte[] b, int len, long pos, boolean nonblock) {
            if (out instanceof PipeFileDescription p && pos < 0) {
                return p.writeBytes(t, b, 0, len, nonblock);
            }
            if (bounce == null) {
                bounce = new MemoryManager(t.kernel.memory(), t.kernel.pageRefs(), t.mm().maxAddr());
                addr = bounce.mmapAnonymous(0, CHUNK, MemoryManager.PROT_READ | MemoryManager.PROT_WRITE,
                        MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS, null);
                shadow = new Task(t.kernel, t.tid, t.threadGroup(), bounce, t.fds());
                shadow.setFsContext(t.fsContext());
            }
            bounce.write(addr, b, 0, len);
            return pos < 0 ? out.write(shadow, addr, len) : out.pwrite(shadow, addr, len, pos);
        }

        @Override
        public void close() {
            if (bounce != null) {
                bounce.releaseAll();
            }
        }
    }

    /** sendfile(2): from a regular file to any writable file (a pipe, stdio, another file). */
    static long sendfile(Task t, SyscallArgs a) {
        FileDescription out = t.fds().get(a.fd(0));
        FileDescription in = t.fds().get(a.fd(1));
        if (!FileMode.readable(in.flags()) || !FileMode.writable(out.flags())) {
            throw new SyscallException(Errno.EBADF);
        }
        Inode src = regularFile(in);
        if (src == null || (out.flags() & O_APPEND) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long count = Long.compareUnsigned(a.a3, MAX_RW) > 0 ? MAX_RW : a.a3;
        boolean explicit = a.a2 != 0;
        long pos = explicit ? t.mm().readLong(a.a2) : in.seek(t, 0, SEEK_CUR);
        if (pos < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long start = pos;
        long done = 0;
        try (Writer w = new Writer(t, out)) {
            if (out instanceof PipeFileDescription p) {
                // Into a pipe sendfile is splice_file_to_pipe: as much as the free slots take, no more.
                done = count == 0 ? 0 : dev.jvisor.kernel.fs.pipe.PipeSplice.fromFile(t, src, pos, p, count, false);
            } else {
                done = copy(t, src, pos, w, -1, count);
            }
        } finally {
            if (explicit) {
                t.mm().writeLong(a.a2, start + done);
            } else if (done > 0) {
                in.seek(t, start + done, SEEK_SET);
            }
        }
        return SysFile.modified(out, SysFile.accessed(in, done));
    }

    /** The transfer loop: returns the count moved; an error after some bytes moved ends it early. */
    static long copy(Task t, Inode src, long pos, Writer w, long outPos, long count) {
        return copy(t, src, pos, w, outPos, count, false);
    }

    /** {@link #copy} into a pipe that refuses to block with {@code nonblock}. */
    static long copy(Task t, Inode src, long pos, Writer w, long outPos, long count, boolean nonblock) {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(count, 1))];
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(buf.length, count - done);
            int got;
            long put;
            try {
                got = src.readBytes(t, pos + done, buf, 0, n);
                if (got <= 0) {
                    break;
                }
                put = w.write(buf, got, outPos < 0 ? -1 : outPos + done, nonblock);
            } catch (SyscallException e) {
                if (done > 0) {
                    break;
                }
                throw e;
            }
            done += put;
            if (put < got) {
                break;
            }
        }
        return done;
    }

    /**
     * copy_file_range(2) between regular files. Overlapping ranges of one file are EINVAL; anything
     * but a regular file is EINVAL (so programs fall back to read/write, as they do on Linux).
     */
    static long copyFileRange(Task t, SyscallArgs a) {
        FileDescription in = t.fds().get(a.fd(0));
        FileDescription out = t.fds().get(a.fd(2));
        if (a.a5 != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (!FileMode.readable(in.flags()) || !FileMode.writable(out.flags()) || (out.flags() & O_APPEND) != 0) {
            throw new SyscallException(Errno.EBADF);
        }
        Inode src = regularFile(in);
        Inode dst = regularFile(out);
        if (src == null || dst == null) {
            throw new SyscallException(src != null && out.location() != null && out.location().inode().isDir()
                    || in.location() != null && in.location().inode().isDir() ? Errno.EISDIR : Errno.EINVAL);
        }
        long count = Long.compareUnsigned(a.a4, MAX_RW) > 0 ? MAX_RW : a.a4;
        boolean inExplicit = a.a1 != 0, outExplicit = a.a3 != 0;
        long inPos = inExplicit ? t.mm().readLong(a.a1) : in.seek(t, 0, SEEK_CUR);
        long outPos = outExplicit ? t.mm().readLong(a.a3) : out.seek(t, 0, SEEK_CUR);
        if (inPos < 0 || outPos < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (src == dst && inPos < outPos + count && outPos < inPos + count) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (count == 0) {
            return 0;
        }
        long done = 0;
        try (Writer w = new Writer(t, out)) {
            done = copy(t, src, inPos, w, outPos, count);
        } finally {
            if (inExplicit) {
                t.mm().writeLong(a.a1, inPos + done);
            } else if (done > 0) {
                in.seek(t, inPos + done, SEEK_SET);
            }
            if (outExplicit) {
                t.mm().writeLong(a.a3, outPos + done);
            } else if (done > 0) {
                out.seek(t, outPos + done, SEEK_SET);
            }
        }
        return SysFile.modified(out, SysFile.accessed(in, done));
    }
}
