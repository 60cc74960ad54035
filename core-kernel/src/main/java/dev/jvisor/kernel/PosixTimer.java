package dev.jvisor.kernel;

/**
 * One POSIX timer (timer_create(2)), Linux's k_itimer: what it notifies, its preallocated signal,
 * its interval and next expiry, the overrun accounting and the sequence numbers that tell a queued
 * signal of the current arming from a stale one. Part of the kernel graph, guarded by the kernel
 * lock; owned by {@link ProcessTimers}, which implements the operations.
 */
public final class PosixTimer {
    static final int DISARMED = 0, ARMED = 1, REQUEUE_PENDING = 2;

    final int id;
    int clock;
    /** SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD (a signal to the process, as the kernel sees it) or SIGEV_THREAD_ID. */
    int notify;
    /** The thread a SIGEV_THREAD_ID timer signals. */
    int targetTid;
    /** The one siginfo this timer queues (Linux preallocates it): never queued twice. */
    SigInfo sigq;
    long interval;
    /** Next expiry on the timer's base clock (ns): the sandbox's monotonic clock, or host realtime. */
    long expiry;
    /** Absolute CLOCK_REALTIME and CLOCK_TAI timers follow the host's realtime clock. */
    boolean realtimeBase;
    int status = DISARMED;
    /** Expirations since the signal was queued, minus one (Linux's it_overrun). */
    long overrun = -1;
    /** The overrun reported with the last delivered signal, for timer_getoverrun(2). */
    long overrunLast;
    /** Bumped by settime, delete and each re-arm at delivery; a queued signal of another sequence is dropped. */
    int signalSeq;
    int sigqueueSeq;
    /** False while timer_create is still filling it in, and after timer_delete. */
    boolean valid;
    /** The host-side expiry scheduled for it, if any (rebuilt after a restore). */
    transient TimerService.Alarm alarm;

    PosixTimer(int id) {
        this.id = id;
    }

    /** The id timer_create(2) hands out. */
    public int id() {
        return id;
    }
}
