package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * The data buffers of one socket call, in app memory: a list of (address, length) segments read or
 * filled in order, as Linux's iov_iter. A bad address fails the copy with EFAULT; the position does
 * not move past the part that failed.
 */
public final class IoVec {
    private final Task t;
    private final long[] segs;
    private final long total;
    private int seg;
    private long segOff;
    private long done;

    private IoVec(Task t, long[] segs) {
        this.t = t;
        this.segs = segs;
        long sum = 0;
        for (int i = 1; i < segs.length; i += 2) {
            sum += segs[i];
        }
        this.total = sum;
    }

    /** One buffer (read, write, send, recv). */
    public static IoVec single(Task t, long addr, long len) {
        return new IoVec(t, new long[] {addr, len});
    }

    /**
     * An iovec array in app memory ({@code struct iovec[count]}): a negative length is EINVAL, and the
     * total is capped at MAX_RW_COUNT as Linux's import_iovec does. {@code tooMany} is the errno for
     * more than UIO_MAXIOV entries (EINVAL for readv/writev, EMSGSIZE for sendmsg/recvmsg).
     */
    public static IoVec fromUser(Task t, long iovAddr, long count, int tooMany) {
        if (count < 0 || count > Sockets.UIO_MAXIOV) {
            throw new SyscallException(tooMany);
        }
        long[] segs = new long[(int) count * 2];
        long sum = 0;
        for (int i = 0; i < count; i++) {
            long base = t.mm().readLong(iovAddr + 16L * i);
            long len = t.mm().readLong(iovAddr + 16L * i + 8);
            if (len < 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            len = Math.min(len, Sockets.MAX_RW - sum);
            sum += len;
            segs[2 * i] = base;
            segs[2 * i + 1] = len;
        }
        return new IoVec(t, segs);
    }

    public long total() {
        return total;
    }

    public long remaining() {
        return total - done;
    }

    public long done() {
        return done;
    }

    /** Copies the next {@code n} bytes of the buffers into {@code dst} (sending). */
    public void read(byte[] dst, int off, int n) {
        move(dst, off, n, false);
    }

    /** Fills the next {@code n} bytes of the buffers from {@code src} (receiving). */
    public void write(byte[] src, int off, int n) {
        move(src, off, n, true);
    }

    /** Skips {@code n} bytes without touching memory. */
    public void skip(long n) {
        advance(n);
    }

    private void move(byte[] b, int off, int n, boolean intoApp) {
        if (n > remaining()) {
            throw new IllegalArgumentException("past the end of the buffers");
        }
        int left = n;
        int at = off;
        int s = seg;
        long so = segOff;
        while (left > 0) {
            long segLen = segs[2 * s + 1];
            if (so >= segLen) {
                s++;
                so = 0;
                continue;
            }
            int k = (int) Math.min(left, segLen - so);
            long addr = segs[2 * s] + so;
            if (intoApp) {
                t.mm().copyOut(addr, b, at, k);
            } else {
                t.mm().copyIn(addr, b, at, k);
            }
            at += k;
            left -= k;
            so += k;
        }
        advance(n);
    }

    private void advance(long n) {
        if (n > remaining()) {
            throw new IllegalArgumentException("past the end of the buffers");
        }
        done += n;
        while (n > 0) {
            long segLen = segs[2 * seg + 1];
            long k = Math.min(n, segLen - segOff);
            segOff += k;
            n -= k;
            if (segOff >= segLen && seg + 1 < segs.length / 2) {
                seg++;
                segOff = 0;
            }
        }
    }
}
