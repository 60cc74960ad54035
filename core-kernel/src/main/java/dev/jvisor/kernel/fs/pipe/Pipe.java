package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.util.function.BooleanSupplier;

/**
 * The buffer shared by the two ends of a pipe or the opens of a FIFO, with Linux's semantics
 * (pipe(7)): a 64 KiB ring; a read blocks until there is data or no writer is left (then 0); a write
 * blocks while the pipe is full, and writes of at most {@link #PIPE_BUF} bytes are atomic; a write
 * with no reader left is EPIPE; O_NONBLOCK turns blocking into EAGAIN.
 *
 * <p>Everything but the wait queue is plain state, so a pipe is checkpointed with the bytes in
 * flight. Blocking goes through a {@link Waiter}; an interrupted wait (checkpoint, exit) fails the
 * call with ERESTARTSYS before any byte moved, so the syscall restarts after the checkpoint, or
 * returns the count moved so far.
 */
public final class Pipe {
    /** Linux's default pipe capacity (16 pages). */
    public static final int CAPACITY = 65536;
    /** Writes up to this size are atomic (limits.h PIPE_BUF). */
    public static final int PIPE_BUF = 4096;

    /** Waits for a condition; returns false if the waiting task was interrupted. */
    @FunctionalInterface
    public interface Waiter {
        boolean await(Object lock, BooleanSupplier ready);
    }

    /** Where read bytes go: {@code n} bytes of {@code b} from {@code off}, at {@code at} bytes into the destination. */
    @FunctionalInterface
    public interface Sink {
        void put(long at, byte[] b, int off, int n);
    }

    /** Where written bytes come from. */
    @FunctionalInterface
    public interface Source {
        void get(long at, byte[] b, int off, int n);
    }

    /** The ring, allocated on the first write (a pipe never written costs nothing in a snapshot). */
    private byte[] buf;
    private int head;
    private int count;
    private int readers;
    private int writers;
    /** How many times a reader / writer has opened (Linux's r_counter, w_counter: FIFO open waits on them). */
    private int readerOpens;
    private int writerOpens;
    private transient WaitQueue queue;

    /** The queue of tasks blocked on this pipe (host state: rebuilt lazily after a restore). */
    public synchronized WaitQueue queue() {
        if (queue == null) {
            queue = new WaitQueue();
        }
        return queue;
    }

    private void wake() {
        WaitQueue q;
        synchronized (this) {
            q = queue;
        }
        if (q != null) {
            q.wakeAll();
        }
    }

    public synchronized int available() {
        return count;
    }

    public synchronized int readers() {
        return readers;
    }

    public synchronized int writers() {
        return writers;
    }

    // ---- ends -----------------------------------------------------------------------------------

    /** A new anonymous pipe's two ends (pipe(2)): one reader and one writer. */
    public synchronized void openBoth() {
        readers++;
        writers++;
        readerOpens++;
        writerOpens++;
    }

    /**
     * Opens a FIFO end as fifo_open does: a reader waits for a writer unless O_NONBLOCK; a writer
     * waits for a reader, or fails with ENXIO if O_NONBLOCK; O_RDWR never waits.
     */
    public void open(boolean read, boolean write, boolean nonblock, Waiter w) {
        if (read && write) {
            synchronized (this) {
                readers++;
                writers++;
                readerOpens++;
                writerOpens++;
            }
            wake();
            return;
        }
        if (read) {
            int seen;
            boolean wait;
            synchronized (this) {
                readers++;
                readerOpens++;
                seen = writerOpens;
                wait = writers == 0 && !nonblock;
            }
            wake();
            if (wait && !w.await(this, () -> writerOpens != seen)) {
                release(true, false);
                throw new SyscallException(Errno.ERESTARTSYS);
            }
            return;
        }
        int seen;
        boolean wait;
        synchronized (this) {
            if (nonblock && readers == 0) {
                throw new SyscallException(Errno.ENXIO);
            }
            writers++;
            writerOpens++;
            seen = readerOpens;
            wait = readers == 0;
        }
        wake();
        if (wait && !w.await(this, () -> readerOpens != seen)) {
            release(false, true);
            throw new SyscallException(Errno.ERESTARTSYS);
        }
    }

    /** An end was closed for good: blocked readers see EOF, blocked writers EPIPE. */
    public void release(boolean read, boolean write) {
        synchronized (this) {
            if (read) {
                readers--;
            }
            if (write) {
                writers--;
            }
            if (readers == 0 && writers == 0) {
                // The last open is gone: like Linux, a FIFO forgets unread data.
                buf = null;
                head = 0;
                count = 0;
            }
        }
        wake();
    }

    // ---- data -----------------------------------------------------------------------------------

    /** read(2) of up to {@code len} bytes into {@code dst}. */
    public long read(Sink dst, long len, boolean nonblock, Waiter w) {
        if (len <= 0) {
            return 0;
        }
        while (true) {
            long n;
            synchronized (this) {
                if (count > 0) {
                    n = Math.min(len, count);
                    int first = (int) Math.min(n, CAPACITY - head);
                    dst.put(0, buf, head, first);
                    if (first < n) {
                        dst.put(first, buf, 0, (int) n - first);
                    }
                    head = (head + (int) n) % CAPACITY;
                    count -= (int) n;
                    if (count == 0) {
                        head = 0;
                    }
                } else if (writers == 0) {
                    return 0;
                } else if (nonblock) {
                    throw new SyscallException(Errno.EAGAIN);
                } else {
                    n = -1;
                }
            }
            if (n >= 0) {
                wake();
                return n;
            }
            if (!w.await(this, () -> count > 0 || writers == 0)) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }

    /** write(2) of {@code len} bytes from {@code src}; returns the count written. */
    public long write(Source src, long len, boolean nonblock, Waiter w) {
        if (len <= 0) {
            return 0;
        }
        boolean atomic = len <= PIPE_BUF;
        long done = 0;
        while (true) {
            boolean moved = false;
            synchronized (this) {
                if (readers == 0) {
                    if (done > 0) {
                        return done;
                    }
                    throw new SyscallException(Errno.EPIPE);
                }
                int space = CAPACITY - count;
                if (atomic ? space >= len : space > 0) {
                    if (buf == null) {
                        buf = new byte[CAPACITY];
                    }
                    int n = (int) Math.min(space, len - done);
                    int tail = (head + count) % CAPACITY;
                    int first = Math.min(n, CAPACITY - tail);
                    try {
                        src.get(done, buf, tail, first);
                        if (first < n) {
                            src.get(done + first, buf, 0, n - first);
                        }
                    } catch (SyscallException e) {
                        if (done > 0) {
                            return done;
                        }
                        throw e;
                    }
                    count += n;
                    done += n;
                    moved = true;
                } else if (nonblock) {
                    if (done > 0) {
                        return done;
                    }
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (moved) {
                wake();
                if (done == len) {
                    return done;
                }
                continue;
            }
            long need = atomic ? len : 1;
            if (!w.await(this, () -> readers == 0 || CAPACITY - count >= need)) {
                if (done > 0) {
                    return done;
                }
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }
}
