package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.util.function.BooleanSupplier;

/**
 * The buffer shared by the two ends of a pipe or the opens of a FIFO, with Linux's semantics
 * (pipe(7)): a ring of page slots (16, 64 KiB, until F_SETPIPE_SZ changes it), filled as Linux's
 * pipe_write fills its pipe_buffers (so capacity, partial writes and EAGAIN match Linux byte for
 * byte; slots made by vmsplice, tee or a partial splice are not merged into); a read blocks until there is
 * data or no writer is left (then 0); a write blocks while the pipe is full, and writes of at most
 * {@link #PIPE_BUF} bytes are atomic; a write with no reader left is EPIPE; O_NONBLOCK turns blocking
 * into EAGAIN.
 *
 * <p>Everything is plain state, so a pipe is checkpointed with the bytes in flight; its wait queue
 * too, which keeps the epoll entries watching it. Blocking goes through a {@link Waiter}; an
 * interrupted wait (checkpoint, exit) fails the call with ERESTARTSYS before any byte moved, so the
 * syscall restarts after the checkpoint, or returns the count moved so far.
 *
 * <p>Readiness is pipe_poll's; wake-ups carry Linux's keys (a write wakes with POLLIN, a read that
 * frees a slot of a full pipe with POLLOUT, opens and closes with any), so edge-triggered epoll
 * entries see the same events as on Linux.
 */
public final class Pipe {
    /** Linux's default pipe capacity (16 pages); F_SETPIPE_SZ changes a pipe's ({@link #capacity}). */
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

    /** Pages of a new pipe's ring (Linux's pipe_buffer slots) and the size of one. */
    public static final int SLOTS = 16, PAGE = 4096;
    /** /proc/sys/fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask for. */
    public static final int MAX_SIZE = 1 << 20;

    /** Slots in the ring (Linux's max_usage): F_SETPIPE_SZ changes it; always a power of two. */
    private int slots = SLOTS;
    /** The ring's storage, slot i at i * PAGE; allocated on the first write (an unused pipe costs nothing). */
    private byte[] buf;
    /** Where the data of each slot starts within its page, and how much there is. */
    private int[] slotOff = new int[SLOTS];
    private int[] slotLen = new int[SLOTS];
    /**
     * Slots a write may not add to (Linux's pipe_buffer without PIPE_BUF_FLAG_CAN_MERGE): those
     * vmsplice made and those tee or a partial splice copied from another pipe.
     */
    private boolean[] slotNoMerge = new boolean[SLOTS];
    /** The oldest used slot and the number of used slots. */
    private int tail;
    private int used;
    private int count;
    private int readers;
    private int writers;
    /** How many times a reader / writer has opened (Linux's r_counter, w_counter: FIFO open waits on them). */
    private int readerOpens;
    private int writerOpens;
    /** Tasks blocked on this pipe and epoll entries watching it; created on first use. */
    private WaitQueue queue;

    /** The queue of tasks blocked on this pipe and of watchers of its readiness. */
    public synchronized WaitQueue queue() {
        if (queue == null) {
            queue = new WaitQueue();
        }
        return queue;
    }

    private void wake() {
        wake(PollEvents.ANY);
    }

    private void wake(int events) {
        WaitQueue q;
        synchronized (this) {
            q = queue;
        }
        if (q != null) {
            q.wakeAll(events);
        }
    }

    /**
     * pipe_poll for an end open for reading and/or writing: readable with data, hung up once every
     * writer has gone (unless {@code hupMark} says no writer was ever seen by this open), writable
     * while a slot is free, in error with no reader left.
     */
    public synchronized int readiness(boolean read, boolean write, int hupMark) {
        int r = 0;
        if (read) {
            if (count > 0) {
                r |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
            }
            if (writers == 0 && writerOpens != hupMark) {
                r |= PollEvents.POLLHUP;
            }
        }
        if (write) {
            if (used < slots) {
                r |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
            }
            if (readers == 0) {
                r |= PollEvents.POLLERR;
            }
        }
        return r;
    }

    public synchronized int available() {
        return count;
    }

    /** Slots with nothing in them (how many page pieces a splice from a file may add now). */
    public synchronized int freeSlots() {
        return slots - used;
    }

    /** The capacity in bytes (F_GETPIPE_SZ). */
    public synchronized int capacity() {
        return slots * PAGE;
    }

    /**
     * F_SETPIPE_SZ with the size already rounded to a power-of-two number of pages: the ring is
     * rebuilt with the data it holds, or EBUSY if that needs more slots than the new size has.
     */
    public void resize(int newSlots) {
        synchronized (this) {
            if (used > newSlots) {
                throw new SyscallException(Errno.EBUSY);
            }
            byte[] nb = buf == null ? null : new byte[newSlots * PAGE];
            int[] no = new int[newSlots], nl = new int[newSlots];
            boolean[] nm = new boolean[newSlots];
            for (int i = 0; i < used; i++) {
                int slot = (tail + i) % slots;
                if (nb != null) {
                    System.arraycopy(buf, slot * PAGE, nb, i * PAGE, PAGE);
                }
                no[i] = slotOff[slot];
                nl[i] = slotLen[slot];
                nm[i] = noMerge(slot);
            }
            buf = nb;
            slotOff = no;
            slotLen = nl;
            slotNoMerge = nm;
            tail = 0;
            slots = newSlots;
        }
        // A bigger ring may have room for a blocked writer.
        wake(PollEvents.POLLOUT | PollEvents.POLLWRNORM);
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
     * waits for a reader, or fails with ENXIO if O_NONBLOCK; O_RDWR never waits. Returns the open's
     * hang-up mark for {@link #readiness} (Linux's f_pipe): a non-blocking reader that found no
     * writer reports no POLLHUP until a writer has come (and gone); every other open returns 0.
     */
    public int open(boolean read, boolean write, boolean nonblock, Waiter w) {
        if (read && write) {
            synchronized (this) {
                readers++;
                writers++;
                readerOpens++;
                writerOpens++;
            }
            wake();
            return 0;
        }
        if (read) {
            int seen;
            boolean wait;
            int mark;
            synchronized (this) {
                readers++;
                readerOpens++;
                seen = writerOpens;
                wait = writers == 0 && !nonblock;
                mark = writers == 0 && nonblock ? writerOpens : 0;
            }
            wake();
            if (wait && !w.await(this, () -> writerOpens != seen)) {
                release(true, false);
                throw new SyscallException(Errno.ERESTARTSYS);
            }
            return mark;
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
        return 0;
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
                tail = 0;
                used = 0;
                count = 0;
            }
        }
        wake();
    }

    // ---- data -----------------------------------------------------------------------------------

    /** read(2) of up to {@code len} bytes into {@code dst}: takes what is there, across pages. */
    public long read(Sink dst, long len, boolean nonblock, Waiter w) {
        if (len <= 0) {
            return 0;
        }
        while (true) {
            long n;
            boolean freedFull = false;
            synchronized (this) {
                if (count > 0) {
                    boolean wasFull = used == slots;
                    n = Math.min(len, count);
                    // Copy first, consume after: a fault in the destination leaves the pipe as it was.
                    long done = 0;
                    for (int i = 0; done < n; i++) {
                        int slot = (tail + i) % slots;
                        int k = (int) Math.min(n - done, slotLen[slot]);
                        dst.put(done, buf, slot * PAGE + slotOff[slot], k);
                        done += k;
                    }
                    for (long left = n; left > 0; ) {
                        int k = (int) Math.min(left, slotLen[tail]);
                        slotOff[tail] += k;
                        slotLen[tail] -= k;
                        left -= k;
                        if (slotLen[tail] == 0) {
                            tail = (tail + 1) % slots;
                            used--;
                        }
                    }
                    count -= (int) n;
                    freedFull = wasFull && used < slots;
                } else if (writers == 0) {
                    return 0;
                } else if (nonblock) {
                    throw new SyscallException(Errno.EAGAIN);
                } else {
                    n = -1;
                }
            }
            if (n >= 0) {
                // Only a slot freed in a full pipe can unblock a writer (pipe_read's wake_writer).
                if (freedFull) {
                    wake(PollEvents.POLLOUT | PollEvents.POLLWRNORM);
                }
                return n;
            }
            if (!w.await(this, () -> count > 0 || writers == 0)) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }

    /**
     * write(2) of {@code len} bytes from {@code src}; returns the count written. As Linux's
     * pipe_write: the part of the write below a page boundary may go into the last page if it fits,
     * the rest fills whole new pages; a full pipe (every slot used) blocks, or EAGAIN. So a write of
     * at most PIPE_BUF bytes is never split.
     */
    public long write(Source src, long len, boolean nonblock, Waiter w) {
        if (len <= 0) {
            return 0;
        }
        long done = 0;
        synchronized (this) {
            if (readers == 0) {
                throw new SyscallException(Errno.EPIPE);
            }
            int chars = (int) (len & (PAGE - 1));
            if (used > 0 && chars > 0) {
                int last = (tail + used - 1) % slots;
                if (!noMerge(last) && slotOff[last] + slotLen[last] + chars <= PAGE) {
                    src.get(0, buf, last * PAGE + slotOff[last] + slotLen[last], chars);
                    slotLen[last] += chars;
                    count += chars;
                    done = chars;
                }
            }
        }
        if (done > 0) {
            wake(PollEvents.POLLIN | PollEvents.POLLRDNORM);
            if (done == len) {
                return done;
            }
        }
        while (true) {
            boolean moved = false;
            synchronized (this) {
                if (readers == 0) {
                    if (done > 0) {
                        return done;
                    }
                    throw new SyscallException(Errno.EPIPE);
                }
                if (used < slots) {
                    if (buf == null) {
                        buf = new byte[slots * PAGE];
                    }
                    while (used < slots && done < len) {
                        int slot = (tail + used) % slots;
                        int k = (int) Math.min(PAGE, len - done);
                        try {
                            src.get(done, buf, slot * PAGE, k);
                        } catch (SyscallException e) {
                            if (done > 0) {
                                return done;
                            }
                            throw e;
                        }
                        slotOff[slot] = 0;
                        slotLen[slot] = k;
                        setNoMerge(slot, false);
                        used++;
                        count += k;
                        done += k;
                        moved = true;
                    }
                } else if (nonblock) {
                    if (done > 0) {
                        return done;
                    }
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (moved) {
                wake(PollEvents.POLLIN | PollEvents.POLLRDNORM);
                if (done == len) {
                    return done;
                }
                continue;
            }
            if (!w.await(this, () -> readers == 0 || used < slots)) {
                if (done > 0) {
                    return done;
                }
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }

    // ---- splice, tee, vmsplice ------------------------------------------------------------------

    private boolean noMerge(int slot) {
        return slotNoMerge != null && slot < slotNoMerge.length && slotNoMerge[slot];
    }

    private void setNoMerge(int slot, boolean on) {
        if (slotNoMerge == null || slotNoMerge.length != slots) {
            slotNoMerge = new boolean[slots];
        }
        slotNoMerge[slot] = on;
    }

    /**
     * ipipe_prep: waits until this pipe holds data or has no writer left; EAGAIN instead of waiting
     * with {@code nonblock}, ERESTARTSYS if the wait is interrupted.
     */
    void awaitData(boolean nonblock, Waiter w) {
        synchronized (this) {
            if (count > 0 || writers == 0) {
                return;
            }
            if (nonblock) {
                throw new SyscallException(Errno.EAGAIN);
            }
        }
        if (!w.await(this, () -> count > 0 || writers == 0)) {
            throw new SyscallException(Errno.ERESTARTSYS);
        }
    }

    /**
     * opipe_prep / wait_for_space: waits for a free slot; EPIPE with no reader left (the caller
     * raises SIGPIPE), EAGAIN instead of waiting with {@code nonblock}, ERESTARTSYS if interrupted.
     */
    void awaitSpace(boolean nonblock, Waiter w) {
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    throw new SyscallException(Errno.EPIPE);
                }
                if (used < slots) {
                    return;
                }
                if (nonblock) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (!w.await(this, () -> readers == 0 || used < slots)) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }

    /** What {@link #link} returns when it could do nothing and the caller should wait and try again. */
    static final long RETRY = -1;

    /**
     * tee (consume false, Linux's link_pipe) or splice between pipes (consume true,
     * splice_pipe_to_pipe): slot by slot, each input slot (or the first {@code len} bytes of it)
     * becomes one new output slot; a whole slot moved keeps its merge flag, a copied part may not be
     * merged into. Stops at {@code len}, an empty input or a full output. Both pipes are locked, in
     * one global order so two calls in opposite directions cannot deadlock. Returns the count, or
     * {@link #RETRY} (splice only) if nothing could move; EPIPE if the output has no reader.
     */
    static long link(Pipe in, Pipe out, long len, boolean consume, boolean nonblock) {
        Pipe first = System.identityHashCode(in) <= System.identityHashCode(out) ? in : out;
        Pipe second = first == in ? out : in;
        long done = 0;
        boolean consumed = false;
        synchronized (first) {
            synchronized (second) {
                int i = 0;
                while (len > 0) {
                    if (out.readers == 0) {
                        if (done == 0) {
                            throw new SyscallException(Errno.EPIPE);
                        }
                        break;
                    }
                    boolean inEmpty = consume ? in.used == 0 : i >= in.used;
                    if (inEmpty && in.writers == 0) {
                        break;
                    }
                    if (inEmpty || out.used >= out.slots) {
                        if (done > 0 || !consume) {
                            break;
                        }
                        if (nonblock) {
                            throw new SyscallException(Errno.EAGAIN);
                        }
                        return RETRY;
                    }
                    int from = (in.tail + (consume ? 0 : i)) % in.slots;
                    int n = (int) Math.min(len, in.slotLen[from]);
                    boolean whole = consume && n == in.slotLen[from];
                    out.addSlot(in.buf, from * PAGE + in.slotOff[from], n, whole ? in.noMerge(from) : true);
                    if (consume) {
                        in.slotOff[from] += n;
                        in.slotLen[from] -= n;
                        in.count -= n;
                        if (in.slotLen[from] == 0) {
                            in.tail = (in.tail + 1) % in.slots;
                            in.used--;
                        }
                        consumed = true;
                    } else {
                        i++;
                    }
                    done += n;
                    len -= n;
                }
            }
        }
        if (consumed) {
            in.wake(PollEvents.POLLOUT | PollEvents.POLLWRNORM);
        }
        if (done > 0) {
            out.wake(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        }
        return done;
    }

    /** Appends one slot holding {@code n} bytes of {@code src} at {@code off}. Under the lock, with a free slot. */
    private void addSlot(byte[] src, int off, int n, boolean noMergeFlag) {
        if (buf == null) {
            buf = new byte[slots * PAGE];
        }
        int slot = (tail + used) % slots;
        System.arraycopy(src, off, buf, slot * PAGE, n);
        slotOff[slot] = 0;
        slotLen[slot] = n;
        setNoMerge(slot, noMergeFlag);
        used++;
        count += n;
    }

    /**
     * vmsplice into the pipe (iter_to_pipe): waits for a free slot as {@link #awaitSpace} does, then
     * every piece (a part of the caller's memory within one page) takes a slot of its own, until the
     * pipe is full. Returns the bytes added.
     */
    long addPieces(byte[][] pieces, boolean nonblock, Waiter w) {
        long done = 0;
        while (true) {
            awaitSpace(nonblock, w);
            synchronized (this) {
                if (readers == 0) {
                    throw new SyscallException(Errno.EPIPE);
                }
                if (used >= slots) {
                    continue;
                }
                for (byte[] p : pieces) {
                    if (used >= slots) {
                        break;
                    }
                    addSlot(p, 0, p.length, true);
                    done += p.length;
                }
            }
            if (done > 0) {
                wake(PollEvents.POLLIN | PollEvents.POLLRDNORM);
            }
            return done;
        }
    }
}
