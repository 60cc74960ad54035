package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Signals;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * Moving data between pipes without read(2) and write(2), as Linux's fs/splice.c does it: tee(2)
 * (copy without consuming), splice(2) between two pipes (move), and vmsplice(2) (user memory into
 * a pipe, a pipe into user memory). Slots are moved or copied as whole pipe buffers, so capacity,
 * partial transfers and EAGAIN match Linux. An output pipe with no reader left is EPIPE and SIGPIPE.
 */
public final class PipeSplice {
    private PipeSplice() {}

    /** tee(2) between two pipe ends; {@code nonblock}: SPLICE_F_NONBLOCK or either end O_NONBLOCK. */
    public static long tee(Task t, PipeFileDescription in, PipeFileDescription out, long len, boolean nonblock) {
        return sigpipe(t, () -> {
            in.pipe().awaitData(nonblock, PipeFileDescription.waiter(t, in.pipe()));
            out.pipe().awaitSpace(nonblock, PipeFileDescription.waiter(t, out.pipe()));
            return Pipe.link(in.pipe(), out.pipe(), len, false, nonblock);
        });
    }

    /** splice(2) from one pipe to another (splice_pipe_to_pipe): waits again if another task raced it. */
    public static long splice(Task t, PipeFileDescription in, PipeFileDescription out, long len, boolean nonblock) {
        return sigpipe(t, () -> {
            while (true) {
                in.pipe().awaitData(nonblock, PipeFileDescription.waiter(t, in.pipe()));
                out.pipe().awaitSpace(nonblock, PipeFileDescription.waiter(t, out.pipe()));
                long n = Pipe.link(in.pipe(), out.pipe(), len, true, nonblock);
                if (n != Pipe.RETRY) {
                    return n;
                }
            }
        });
    }

    /**
     * vmsplice(2) into a pipe: {@code iov} is {address, length} pairs; each part of it within one
     * page of the caller's memory takes a slot of its own. Only SPLICE_F_NONBLOCK makes it non-blocking
     * (Linux ignores the file's O_NONBLOCK here).
     */
    public static long toPipe(Task t, PipeFileDescription out, long[] iov, boolean nonblock) {
        int slots = out.pipe().capacity() / Pipe.PAGE;
        java.util.List<byte[]> pieces = new java.util.ArrayList<>();
        for (int i = 0; i < iov.length && pieces.size() < slots; i += 2) {
            long addr = iov[i], left = iov[i + 1];
            while (left > 0 && pieces.size() < slots) {
                int n = (int) Math.min(left, Pipe.PAGE - (addr & (Pipe.PAGE - 1)));
                byte[] b = new byte[n];
                try {
                    t.mm().copyIn(addr, b, 0, n);
                } catch (SyscallException e) {
                    if (pieces.isEmpty()) {
                        throw e;
                    }
                    left = 0;
                    i = iov.length;
                    break;
                }
                pieces.add(b);
                addr += n;
                left -= n;
            }
        }
        return sigpipe(t, () -> out.pipe().addPieces(pieces.toArray(new byte[0][]), nonblock,
                PipeFileDescription.waiter(t, out.pipe())));
    }

    /**
     * splice_file_to_pipe (splice(2) and sendfile(2) from a regular file into a pipe): waits for a free
     * slot, then each page of the file from {@code pos} takes a slot, as the page cache's pages do in
     * Linux, as many as are free: never more, so the call does not block half-way. Returns the count.
     */
    public static long fromFile(Task t, dev.jvisor.kernel.vfs.Inode src, long pos, PipeFileDescription out,
            long len, boolean nonblock) {
        Pipe pipe = out.pipe();
        return sigpipe(t, () -> {
            pipe.awaitSpace(nonblock || (out.flags() & dev.jvisor.kernel.vfs.FileMode.O_NONBLOCK) != 0,
                    PipeFileDescription.waiter(t, pipe));
            int free = pipe.freeSlots();
            java.util.List<byte[]> pieces = new java.util.ArrayList<>();
            long at = pos, left = len;
            while (left > 0 && pieces.size() < free) {
                int n = (int) Math.min(left, Pipe.PAGE - (at & (Pipe.PAGE - 1)));
                byte[] b = new byte[n];
                int got = src.readBytes(t, at, b, 0, n);
                if (got <= 0) {
                    break;
                }
                pieces.add(got == n ? b : java.util.Arrays.copyOf(b, got));
                at += got;
                left -= got;
                if (got < n) {
                    break;
                }
            }
            if (pieces.isEmpty()) {
                return 0L;
            }
            return pipe.addPieces(pieces.toArray(new byte[0][]), true, PipeFileDescription.waiter(t, pipe));
        });
    }

    /** vmsplice(2) from a pipe to the caller's memory: a read into the iovecs, non-blocking only by flag. */
    public static long fromPipe(Task t, PipeFileDescription in, long[] iov, boolean nonblock) {
        long done = 0;
        for (int i = 0; i < iov.length; i += 2) {
            if (iov[i + 1] == 0) {
                continue;
            }
            long n;
            try {
                // Once something was read, an empty pipe ends the call instead of blocking it.
                n = in.readExactly(t, iov[i], iov[i + 1], nonblock || done > 0);
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

    @FunctionalInterface
    private interface Op {
        long run();
    }

    /** Runs {@code op}; an EPIPE raises SIGPIPE first, as Linux's splice paths do. */
    private static long sigpipe(Task t, Op op) {
        try {
            return op.run();
        } catch (SyscallException e) {
            if (e.errno == Errno.EPIPE) {
                t.raiseSignal(Signals.SIGPIPE);
            }
            throw e;
        }
    }
}
