package dev.jvisor.kernel.fs.eventfd;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.AnonFile;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.WaitQueue;

/**
 * An eventfd (eventfd(2)): a 64-bit unsigned counter. read(2) of 8 bytes returns the counter and
 * zeroes it (EFD_SEMAPHORE: returns 1 and decrements it), blocking while it is 0; write(2) of 8 bytes
 * adds to it, blocking while the sum would exceed 0xfffffffffffffffe. Plain state, so the counter
 * survives a checkpoint; an interrupted wait restarts the call (ERESTARTSYS) with nothing consumed.
 */
public final class EventFdFile extends AnonFile {
    /** The counter's largest value (ULLONG_MAX - 1): a write that would pass it waits. */
    private static final long MAX = -2L;
    private final boolean semaphore;
    private final int id;
    private long count;
    private final WaitQueue queue = new WaitQueue();

    public EventFdFile(long initial, boolean semaphore, int flags, int id) {
        super(flags);
        this.count = initial;
        this.semaphore = semaphore;
        this.id = id;
    }

    private boolean nonblock() {
        return (flags & FileMode.O_NONBLOCK) != 0;
    }

    @Override
    public long read(Task t, long addr, long len) {
        if (len < 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        while (true) {
            synchronized (this) {
                if (count != 0) {
                    long v = semaphore ? 1 : count;
                    // Copy first, consume after: a fault leaves the counter as it was.
                    t.mm().writeLong(addr, v);
                    count -= v;
                    break;
                }
                if (nonblock()) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (!queue.await(t, this, () -> count != 0)) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
        queue.wakeAll(PollEvents.POLLOUT);
        return 8;
    }

    @Override
    public long write(Task t, long addr, long len) {
        if (len < 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        long v = t.mm().readLong(addr);
        if (v == -1L) {
            throw new SyscallException(Errno.EINVAL);
        }
        while (true) {
            synchronized (this) {
                if (fits(v)) {
                    count += v;
                    break;
                }
                if (nonblock()) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (!queue.await(t, this, () -> fits(v))) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
        queue.wakeAll(PollEvents.POLLIN);
        return 8;
    }

    /** ULLONG_MAX - count > v, unsigned. */
    private boolean fits(long v) {
        return Long.compareUnsigned(-1L - count, v) > 0;
    }

    /** eventfd_poll: readable when non-zero, writable while a write of 1 would not block, error at ULLONG_MAX. */
    @Override
    public synchronized int readiness(int mask) {
        int r = 0;
        if (count != 0) {
            r |= PollEvents.POLLIN;
        }
        if (count == -1L) {
            r |= PollEvents.POLLERR;
        }
        if (Long.compareUnsigned(MAX, count) > 0) {
            r |= PollEvents.POLLOUT;
        }
        return r;
    }

    @Override
    public WaitQueue readinessQueue() {
        return queue;
    }

    @Override
    public synchronized String fdinfo(Task t) {
        return String.format("eventfd-count: %16x\neventfd-id: %d\neventfd-semaphore: %d\n", count, id,
                semaphore ? 1 : 0);
    }

    @Override
    protected String anonName() {
        return "eventfd";
    }

    public synchronized long count() {
        return count;
    }

    public int id() {
        return id;
    }
}
