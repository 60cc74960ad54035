package dev.jvisor.kernel.fs.timerfd;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.MonotonicClock;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.AnonFile;
import dev.jvisor.kernel.vfs.Clocks;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.ReadinessWait;
import dev.jvisor.kernel.vfs.WaitQueue;

/**
 * A timerfd (timerfd_create(2)): a timer whose expirations are read as a u64 count. It is a pure
 * function of its clock: the next expiration time, the interval and the expirations counted but not
 * yet read. Nothing runs when it expires; readers and pollers sleep until {@link #nextExpiry}, so a
 * checkpoint needs nothing re-armed: CLOCK_MONOTONIC and CLOCK_BOOTTIME timers follow the sandbox's
 * monotonic clock, which continues from its checkpointed value; CLOCK_REALTIME ones follow the host's
 * wall clock, as on Linux after a suspend.
 */
public final class TimerFdFile extends AnonFile {
    public static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8,
            CLOCK_BOOTTIME_ALARM = 9;
    public static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

    private final int clockId;
    private final MonotonicClock mono;
    /** Whether the timer is armed; then {@link #expiry} is its next uncounted expiration (clock ns). */
    private boolean armed;
    private long expiry;
    private long interval;
    /** Expirations counted (folded from the clock) and not yet read. */
    private long ticks;
    private int settimeFlags;
    private final WaitQueue queue = new WaitQueue();

    public TimerFdFile(int clockId, MonotonicClock mono, int flags) {
        super(flags);
        this.clockId = clockId;
        this.mono = mono;
    }

    private boolean realtime() {
        return clockId == CLOCK_REALTIME || clockId == CLOCK_REALTIME_ALARM;
    }

    /** The timer's clock now, in ns. */
    private long now() {
        return realtime() ? Clocks.realtimeNanos() : mono.now();
    }

    /** Counts the expirations up to {@code now} into {@link #ticks} and moves the schedule past them. */
    private void fold(long now) {
        if (!armed || now < expiry) {
            return;
        }
        if (interval == 0) {
            ticks++;
            armed = false;
            return;
        }
        long n = (now - expiry) / interval + 1;
        ticks += n;
        expiry += n * interval;
    }

    /** timerfd_settime(2); returns the old setting as {value, interval} in ns. */
    public long[] set(int flags, long value, long newInterval) {
        long[] old;
        synchronized (this) {
            long now = now();
            old = current(now);
            ticks = 0;
            settimeFlags = flags & (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
            interval = newInterval;
            if (value == 0) {
                armed = false;
            } else {
                armed = true;
                expiry = (flags & TFD_TIMER_ABSTIME) != 0 ? value : saturatedAdd(now, value);
            }
        }
        queue.wakeAll();
        return old;
    }

    /** timerfd_gettime(2): {time to the next expiration (0 if disarmed), interval} in ns. */
    public synchronized long[] get() {
        return current(now());
    }

    private long[] current(long now) {
        fold(now);
        return new long[] {armed ? expiry - now : 0, interval};
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** Expirations available now, without consuming them. */
    private long available(long now) {
        if (!armed || now < expiry) {
            return ticks;
        }
        return ticks + (interval == 0 ? 1 : (now - expiry) / interval + 1);
    }

    @Override
    public long read(Task t, long addr, long len) {
        if (len < 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        synchronized (this) {
            if (available(now()) == 0 && (flags & FileMode.O_NONBLOCK) != 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
        }
        try (ReadinessWait w = new ReadinessWait(t)) {
            w.watch(queue);
            ReadinessWait.Outcome o = w.await(Long.MAX_VALUE, wait -> {
                synchronized (this) {
                    long now = now();
                    fold(now);
                    if (ticks != 0) {
                        // Copy first, consume after: a fault loses no expiration.
                        t.mm().writeLong(addr, ticks);
                        ticks = 0;
                        return true;
                    }
                    wait.changeAt(nextExpiry(mono.now()));
                    return false;
                }
            });
            if (o != ReadinessWait.Outcome.READY) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
        // No longer readable, and the next expiration is a new deadline for epoll sets watching it.
        queue.wakeAll(PollEvents.POLLIN);
        return 8;
    }

    /** The next expiration as sandbox-monotonic ns, or Long.MAX_VALUE if disarmed. */
    private long nextExpiry(long monoNow) {
        if (!armed) {
            return Long.MAX_VALUE;
        }
        if (!realtime()) {
            return expiry;
        }
        return saturatedAdd(monoNow, expiry - Clocks.realtimeNanos());
    }

    /** timerfd_poll: readable once it has expired since the last read. */
    @Override
    public synchronized int readiness(int mask) {
        return available(now()) != 0 ? PollEvents.POLLIN : 0;
    }

    @Override
    public WaitQueue readinessQueue() {
        return queue;
    }

    /** Not yet expired: its readiness changes at the next expiration. */
    @Override
    public synchronized long nextReadinessChangeNanos(long now) {
        if (available(now()) != 0) {
            return Long.MAX_VALUE;
        }
        return nextExpiry(now);
    }

    public int clockId() {
        return clockId;
    }

    @Override
    public synchronized String fdinfo(Task t) {
        long now = now();
        long[] cur = current(now);
        return String.format("clockid: %d\nticks: %d\nsettime flags: 0%o\nit_value: (%d, %d)\nit_interval: (%d, %d)\n",
                clockId, ticks, settimeFlags, cur[0] / 1_000_000_000L, cur[0] % 1_000_000_000L,
                cur[1] / 1_000_000_000L, cur[1] % 1_000_000_000L);
    }

    @Override
    protected String anonName() {
        return "timerfd";
    }
}
