package dev.jvisor.kernel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The timers of one process, as Linux keeps them in signal_struct (kernel/time/itimer.c,
 * posix-timers.c): ITIMER_REAL (alarm(2), setitimer(2)), ITIMER_VIRTUAL and ITIMER_PROF on the
 * process's CPU time, and POSIX timers with their per-process ids. This is the state, in the kernel
 * graph and guarded by the kernel lock; {@link TimerService} only wakes it up at the deadlines.
 *
 * <p>As in Linux, a periodic ITIMER_REAL or POSIX timer is re-armed when its signal is dequeued,
 * not when it fires: while the signal is pending the timer stays quiet, and the expirations missed
 * meanwhile become the overrun of the delivered signal. Not inherited by fork; POSIX timers are
 * deleted by execve, itimers survive it.
 */
public final class ProcessTimers {
    public static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
    /** Linux's TICK_NSEC (HZ=250): added to CPU itimers when set, reported when one is about to fire. */
    static final long TICK_NANOS = 4_000_000L;
    static final int SIGVTALRM = 26, SIGPROF = 27;
    /** How often a periodic timer whose signal is ignored looks again whether it may queue it. */
    private static final long IGNORED_RECHECK_NANOS = 50_000_000L;

    private final ThreadGroup tg;

    // ITIMER_REAL: Linux's signal_struct.real_timer and it_real_incr
    private long realIncr;
    /** Expiry on the sandbox's monotonic clock. */
    private long realExpiry;
    /** Armed and waiting for its expiry (hrtimer queued); false once fired until re-armed. */
    private boolean realQueued;
    private transient TimerService.Alarm realAlarm;

    private final CpuItimer virtualTimer = new CpuItimer();
    private final CpuItimer profTimer = new CpuItimer();

    private final TreeMap<Integer, PosixTimer> posix = new TreeMap<>();
    /** Linux's next_posix_timer_id: ids are handed out in order and not reused until it wraps. */
    private int nextPosixId;
    /** Signals of deleted timers that were still queued: dropped when dequeued, as Linux does. */
    private final ArrayList<SigInfo> deadSignals = new ArrayList<>();

    ProcessTimers(ThreadGroup tg) {
        this.tg = tg;
    }

    /**
     * An ITIMER_VIRTUAL or ITIMER_PROF: the CPU time left (ns, 0 = disarmed) as of the last sample of
     * the process's CPU time. It counts down by the CPU time the host charged since, so it does not
     * depend on the CPU clock's absolute value, which starts again from zero in a new stub (restore,
     * execve).
     */
    public static final class CpuItimer {
        long value;
        long incr;
        transient boolean sampled;
        transient long lastSample;

        /** The value getitimer shows at CPU time {@code sample}. */
        long remaining(long sample) {
            if (value == 0) {
                return 0;
            }
            long v = value - (sampled && sample >= lastSample ? sample - lastSample : 0);
            return v <= 0 ? TICK_NANOS : v; // "about to fire"
        }

        /** Counts the CPU time up to {@code sample}; true if the timer expired (and was reloaded). */
        boolean advance(long sample) {
            if (value == 0) {
                return false;
            }
            if (!sampled || sample < lastSample) {
                // first look, or a new stub (restore, execve) or an exited thread: a new baseline
                sampled = true;
                lastSample = sample;
                return false;
            }
            value -= sample - lastSample;
            lastSample = sample;
            if (value > 0) {
                return false;
            }
            if (incr != 0) {
                value += incr; // keeps the phase, as Linux's expires += incr
                if (value <= 0) {
                    value = 1; // still behind: fires again at the next look
                }
            } else {
                value = 0;
            }
            return true;
        }
    }

    private Kernel kernel() {
        return tg.kernel;
    }

    private TimerService service() {
        return kernel().runtime().timers();
    }

    /** The host's CLOCK_REALTIME in ns (the sandbox's CLOCK_REALTIME follows the host's). */
    static long realtimeNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long addSafe(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ---- ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF ---------------------------------------------------

    /** getitimer(2): {interval, value} in ns. */
    public long[] getItimer(int which) {
        if (which == ITIMER_REAL) {
            synchronized (kernel()) {
                return new long[] {realIncr, realRemaining()};
            }
        }
        CpuItimer it = cpuTimer(which);
        long sample = cpuSample();
        synchronized (kernel()) {
            return new long[] {it.incr, it.remaining(sample)};
        }
    }

    /** setitimer(2) with valid values (ns); returns the old {interval, value}. */
    public long[] setItimer(int which, long value, long interval) {
        if (which == ITIMER_REAL) {
            synchronized (kernel()) {
                long[] old = {realIncr, realRemaining()};
                cancel(realAlarm);
                realAlarm = null;
                if (value != 0) {
                    realIncr = interval;
                    realExpiry = addSafe(kernel().clock().now(), value);
                    realQueued = true;
                    armReal();
                } else {
                    realIncr = 0;
                    realQueued = false;
                }
                return old;
            }
        }
        CpuItimer it = cpuTimer(which);
        long sample = cpuSample();
        long[] old;
        synchronized (kernel()) {
            old = new long[] {it.incr, it.remaining(sample)};
            it.value = value > 0 ? addSafe(value, TICK_NANOS) : 0;
            it.incr = interval;
            it.sampled = true;
            it.lastSample = sample;
        }
        if (value > 0) {
            service().watchCpu(this);
        }
        return old;
    }

    private CpuItimer cpuTimer(int which) {
        return switch (which) {
            case ITIMER_VIRTUAL -> virtualTimer;
            case ITIMER_PROF -> profTimer;
            default -> throw new SyscallException(Errno.EINVAL);
        };
    }

    /** Linux's itimer_get_remtime: at least 1 µs while armed, 0 once fired. Kernel lock held. */
    private long realRemaining() {
        if (!realQueued) {
            return 0;
        }
        long rem = realExpiry - kernel().clock().now();
        return rem <= 0 ? 1000 : rem;
    }

    private void armReal() {
        realAlarm = service().at(false, realExpiry, this::expireReal);
    }

    private void expireReal(TimerService.Alarm a) {
        synchronized (kernel()) {
            if (realAlarm != a || !realQueued) {
                return;
            }
            realAlarm = null;
            if (kernel().clock().now() < realExpiry) {
                armReal();
                return;
            }
            realQueued = false;
            if (tg.isZombie() || tg.exiting) {
                return;
            }
        }
        // Linux's it_real_fn: kill_pid_info(SIGALRM, SEND_SIG_PRIV, tgid)
        Signals.sendToGroup(tg, SigInfo.of(Signals.SIGALRM, SigInfo.SI_KERNEL));
    }

    /** SIGALRM left the process's shared queue: a periodic ITIMER_REAL runs again (posixtimer_rearm_itimer). */
    private void rearmReal() {
        if (realQueued || realIncr == 0) {
            return;
        }
        long now = kernel().clock().now();
        if (now >= realExpiry) {
            realExpiry = forwardedExpiry(realExpiry, now, realIncr);
        }
        realQueued = true;
        armReal();
    }

    /** The CPU time the host charged to the process's threads (ns). */
    private long cpuSample() {
        List<Task> threads;
        long sum;
        synchronized (kernel()) {
            threads = new ArrayList<>(tg.liveTasks());
            sum = tg.deadThreadsCpuNs;
        }
        for (Task t : threads) {
            dev.jvisor.platform.Context c = t.context();
            if (c == null) {
                continue;
            }
            try {
                sum += c.cpuTimeNanos(false);
            } catch (RuntimeException e) {
                // the thread is exiting: its time is lost to the sample, which rebases if it shrinks
            }
        }
        return sum;
    }

    /**
     * One look at the process's CPU time from the timer thread: fires ITIMER_VIRTUAL and ITIMER_PROF
     * that expired. False when there is nothing left to watch.
     */
    boolean pollCpu() {
        synchronized (kernel()) {
            if (tg.isZombie() || tg.exiting || virtualTimer.value == 0 && profTimer.value == 0) {
                return false;
            }
        }
        long sample = cpuSample();
        boolean virt, prof;
        synchronized (kernel()) {
            // The host does not split the stub's time into user and system time as Linux charges it
            // to the app, so ITIMER_VIRTUAL counts the same CPU time as ITIMER_PROF.
            virt = virtualTimer.advance(sample);
            prof = profTimer.advance(sample);
        }
        if (virt) {
            Signals.sendToGroup(tg, SigInfo.of(SIGVTALRM, SigInfo.SI_KERNEL));
        }
        if (prof) {
            Signals.sendToGroup(tg, SigInfo.of(SIGPROF, SigInfo.SI_KERNEL));
        }
        return true;
    }

    // ---- POSIX timers ---------------------------------------------------------------------------------

    /**
     * timer_create(2), first step: hands out the next free id and holds it with a timer that is not
     * valid yet (as Linux does, so a call that fails later has used the id up).
     */
    public PosixTimer reserve(int clock) {
        synchronized (kernel()) {
            for (long n = 0; n <= Integer.MAX_VALUE; n++) {
                int id = nextPosixId & Integer.MAX_VALUE;
                nextPosixId = id + 1;
                if (!posix.containsKey(id)) {
                    PosixTimer pt = new PosixTimer(id);
                    pt.clock = clock;
                    posix.put(id, pt);
                    return pt;
                }
            }
        }
        throw new SyscallException(Errno.EAGAIN);
    }

    /**
     * timer_create(2), last step: the timer notifies as {@code notify} with signal {@code signo} and
     * value {@code value} ({@code targetTid} for SIGEV_THREAD_ID), and becomes usable.
     */
    public void activate(PosixTimer pt, int notify, int signo, long value, int targetTid) {
        synchronized (kernel()) {
            pt.notify = notify;
            pt.targetTid = targetTid;
            pt.sigq = SigInfo.timer(signo, pt.id, 0, value);
            pt.valid = true;
        }
    }

    /** A timer_create(2) that failed after {@link #reserve}: the id stays used up. */
    public void release(PosixTimer pt) {
        synchronized (kernel()) {
            posix.remove(pt.id, pt);
        }
    }

    /** Whether {@code tid} is a live thread of this process (SIGEV_THREAD_ID's target). */
    public boolean ownsThread(int tid) {
        Task t = kernel().task(tid);
        return t != null && t.threadGroup() == tg && !t.exited();
    }

    private PosixTimer lookup(int id) {
        PosixTimer pt = id < 0 ? null : posix.get(id);
        if (pt == null || !pt.valid) {
            throw new SyscallException(Errno.EINVAL);
        }
        return pt;
    }

    /** timer_gettime(2): {interval, value} in ns. */
    public long[] getTime(int id) {
        synchronized (kernel()) {
            return timerGet(lookup(id));
        }
    }

    /** timer_getoverrun(2). */
    public int getOverrun(int id) {
        synchronized (kernel()) {
            return overrunToInt(lookup(id).overrunLast);
        }
    }

    /**
     * timer_settime(2) with valid values (ns): relative, or absolute on the timer's clock when
     * {@code absolute}. Returns the old {interval, value}.
     */
    public long[] setTime(int id, boolean absolute, long value, long interval) {
        synchronized (kernel()) {
            PosixTimer pt = lookup(id);
            pt.signalSeq++; // a signal already queued for the old setting is dropped at delivery
            long[] old = timerGet(pt);
            old[0] = pt.interval;
            cancel(pt.alarm);
            pt.alarm = null;
            pt.status = PosixTimer.DISARMED;
            pt.interval = value != 0 ? interval : 0;
            pt.overrunLast = 0;
            pt.overrun = -1;
            if (value == 0) {
                return old;
            }
            // Relative CLOCK_REALTIME timers run on the monotonic clock (Linux's hrtimer_setup does
            // the same), absolute ones follow the realtime clock; CLOCK_TAI timers always do.
            int c = pt.clock;
            pt.realtimeBase = c == 11 || c == 0 && absolute;
            long now = pt.realtimeBase ? realtimeNow() : kernel().clock().now();
            pt.expiry = absolute ? value : addSafe(now, value);
            if (pt.notify != SIGEV_NONE) {
                pt.status = PosixTimer.ARMED;
                armPosix(pt);
            }
            return old;
        }
    }

    /** timer_delete(2). */
    public void delete(int id) {
        synchronized (kernel()) {
            deleteLocked(lookup(id));
        }
    }

    private void deleteLocked(PosixTimer pt) {
        pt.signalSeq++;
        pt.valid = false;
        cancel(pt.alarm);
        pt.alarm = null;
        pt.status = PosixTimer.DISARMED;
        posix.remove(pt.id);
        if (queued(pt)) {
            deadSignals.add(pt.sigq);
        }
    }

    /** Linux's common_timer_get. Kernel lock held. */
    private long[] timerGet(PosixTimer pt) {
        boolean sigNone = pt.notify == SIGEV_NONE;
        long[] out = {0, 0};
        if (pt.interval != 0) {
            out[0] = pt.interval;
        } else if (pt.status == PosixTimer.DISARMED && !sigNone) {
            return out;
        }
        long now = baseNow(pt);
        if (pt.interval != 0 && pt.status != PosixTimer.ARMED) {
            // a requeue is pending (or SIGEV_NONE): show it as if re-armed now
            pt.overrun += forward(pt, now);
        }
        long remaining = pt.expiry - now;
        if (remaining <= 0) {
            if (!sigNone) {
                out[1] = 1; // the signal is not delivered yet: never 0
            }
        } else {
            out[1] = remaining;
        }
        return out;
    }

    private long baseNow(PosixTimer pt) {
        return pt.realtimeBase ? realtimeNow() : kernel().clock().now();
    }

    /** Linux's hrtimer_forward: moves the expiry past {@code now} by whole intervals; returns how many. */
    private static long forward(PosixTimer pt, long now) {
        long n = overruns(pt.expiry, now, pt.interval);
        if (n > 0) {
            pt.expiry = addSafe(pt.expiry, multiplySafe(Math.max(pt.interval, 1), n));
        }
        return n;
    }

    /** How many intervals hrtimer_forward adds so the expiry lies strictly after {@code now} (0 if it does). */
    static long overruns(long expiry, long now, long interval) {
        long delta = now - expiry;
        if (delta < 0) {
            return 0;
        }
        long iv = Math.max(interval, 1);
        long orun = 1;
        if (delta >= iv) {
            orun = delta / iv;
            if (addSafe(expiry, multiplySafe(iv, orun)) > now) {
                return orun;
            }
            orun++;
        }
        return orun;
    }

    private static long forwardedExpiry(long expiry, long now, long interval) {
        long n = overruns(expiry, now, interval);
        return n == 0 ? expiry : addSafe(expiry, multiplySafe(Math.max(interval, 1), n));
    }

    private static long multiplySafe(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }

    private static int overrunToInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    private void armPosix(PosixTimer pt) {
        pt.alarm = service().at(pt.realtimeBase, pt.expiry, a -> expirePosix(pt, a));
    }

    /** Looks again later whether a periodic timer's signal can be queued (it was ignored or merged). */
    private void recheckLater(PosixTimer pt) {
        long delay = Math.min(Math.max(pt.interval, 1_000_000L), IGNORED_RECHECK_NANOS);
        long at = addSafe(baseNow(pt), delay);
        pt.alarm = service().at(pt.realtimeBase, at, a -> expirePosix(pt, a));
    }

    /** The host-side deadline of a POSIX timer came: queue its signal (posix_timer_fn). */
    private void expirePosix(PosixTimer pt, TimerService.Alarm a) {
        Task target;
        synchronized (kernel()) {
            if (pt.alarm != a || !pt.valid) {
                return;
            }
            pt.alarm = null;
            if (baseNow(pt) < pt.expiry) {
                armPosix(pt); // woke early (a stepped realtime clock)
                return;
            }
            if (tg.isZombie() || tg.exiting) {
                return;
            }
            pt.status = pt.interval != 0 ? PosixTimer.REQUEUE_PENDING : PosixTimer.DISARMED;
            pt.sigqueueSeq = pt.signalSeq;
            target = null;
            if ((pt.notify & SIGEV_THREAD_ID) != 0) {
                target = kernel().task(pt.targetTid);
                if (target == null || target.threadGroup() != tg || target.exited()) {
                    return; // the thread is gone: the timer stops, as in Linux
                }
            }
            if (queued(pt)) {
                return; // still pending: the delivery will count the overrun
            }
            if (ignored(pt, target)) {
                // Linux parks a periodic timer whose signal is ignored until a handler is set; we look again.
                if (pt.status == PosixTimer.REQUEUE_PENDING) {
                    recheckLater(pt);
                }
                return;
            }
        }
        if (target != null) {
            Signals.sendToTask(target, pt.sigq);
        } else {
            Signals.sendToGroup(tg, pt.sigq);
        }
        synchronized (kernel()) {
            // A standard signal already pending from elsewhere absorbs ours: do not let the timer stall.
            if (pt.valid && pt.alarm == null && pt.status == PosixTimer.REQUEUE_PENDING && !queued(pt)) {
                recheckLater(pt);
            }
        }
    }

    /** Whether the timer's signal is in the queue it goes to. Kernel lock held. */
    private boolean queued(PosixTimer pt) {
        if (pt.sigq == null) {
            return false;
        }
        if ((pt.notify & SIGEV_THREAD_ID) != 0) {
            Task t = kernel().task(pt.targetTid);
            return t != null && t.pending.contains(pt.sigq);
        }
        return tg.sharedPending.contains(pt.sigq);
    }

    /** Linux's sig_ignored for the timer's target: ignored and not blocked. Kernel lock held. */
    private boolean ignored(PosixTimer pt, Task target) {
        int sig = pt.sigq.signo();
        long h = tg.signalActions.handler[sig];
        boolean ign = h == SignalActions.SIG_IGN
                || h == SignalActions.SIG_DFL && SignalActions.defaultAction(sig) == SignalActions.Default.IGNORE;
        if (!ign) {
            return false;
        }
        long bit = PendingSignals.bit(sig);
        if (target != null) {
            return (target.signalMask & bit) == 0;
        }
        return tg.liveTasks().stream().noneMatch(t -> (t.signalMask & bit) != 0);
    }

    // ---- signal delivery -----------------------------------------------------------------------------

    /**
     * Called by a task that took {@code info} off {@code from} (kernel lock held), as Linux's
     * dequeue_signal does: SIGALRM from the process's queue re-arms a periodic ITIMER_REAL; a POSIX
     * timer's signal re-arms its periodic timer and carries the overrun, or is dropped (null) if the
     * timer was re-armed or deleted since it was queued.
     */
    static SigInfo dequeued(Task t, PendingSignals from, SigInfo info) {
        ThreadGroup tg = t.threadGroup();
        ProcessTimers pts = tg.timers;
        if (info.signo() == Signals.SIGALRM && from == tg.sharedPending) {
            pts.rearmReal();
        }
        if (info.code() != SigInfo.SI_TIMER) {
            return info;
        }
        return pts.timerSignalDequeued(info);
    }

    private SigInfo timerSignalDequeued(SigInfo info) {
        if (deadSignals.removeIf(s -> s == info)) {
            return null;
        }
        PosixTimer pt = posix.get(info.pid()); // si_timerid shares si_pid's place
        if (pt == null || pt.sigq != info) {
            return info; // an SI_TIMER signal an app queued itself
        }
        if (pt.signalSeq != pt.sigqueueSeq || !pt.valid) {
            return null;
        }
        SigInfo out = SigInfo.fromApp(info.signo(), info.bytes());
        if (pt.interval == 0 || pt.status != PosixTimer.REQUEUE_PENDING) {
            return out;
        }
        pt.overrun += forward(pt, baseNow(pt));
        cancel(pt.alarm);
        armPosix(pt);
        pt.status = PosixTimer.ARMED;
        pt.overrunLast = pt.overrun;
        pt.overrun = -1;
        pt.signalSeq++;
        out.setOverrun(overrunToInt(pt.overrunLast));
        return out;
    }

    // ---- process life ---------------------------------------------------------------------------------

    /** execve(2) by {@code t}: POSIX timers are deleted and their queued signals flushed; itimers stay. */
    void onExec(Task t) {
        synchronized (kernel()) {
            for (PosixTimer pt : new ArrayList<>(posix.values())) {
                if (pt.valid) {
                    deleteLocked(pt);
                } else {
                    posix.remove(pt.id);
                }
            }
            deadSignals.clear();
            // Linux's flush_itimer_signals
            t.pending.removeIf(i -> i.code() == SigInfo.SI_TIMER);
            tg.sharedPending.removeIf(i -> i.code() == SigInfo.SI_TIMER);
        }
    }

    /** The process has ended: nothing of it fires any more. Kernel lock held. */
    void onExit() {
        cancel(realAlarm);
        realAlarm = null;
        realQueued = false;
        for (PosixTimer pt : posix.values()) {
            cancel(pt.alarm);
            pt.alarm = null;
        }
        virtualTimer.value = 0;
        profTimer.value = 0;
    }

    /** After a restore: schedules what was armed when the snapshot was taken. */
    void rearmAfterRestore(TimerService svc) {
        boolean cpu;
        synchronized (kernel()) {
            if (tg.isZombie() || tg.exiting) {
                return;
            }
            if (realQueued) {
                realAlarm = svc.at(false, realExpiry, this::expireReal);
            }
            for (PosixTimer pt : posix.values()) {
                if (!pt.valid) {
                    continue;
                }
                if (pt.status == PosixTimer.ARMED && pt.notify != SIGEV_NONE) {
                    pt.alarm = svc.at(pt.realtimeBase, pt.expiry, a -> expirePosix(pt, a));
                } else if (pt.status == PosixTimer.REQUEUE_PENDING && !queued(pt)) {
                    pt.alarm = svc.at(pt.realtimeBase, baseNow(pt), a -> expirePosix(pt, a));
                }
            }
            cpu = virtualTimer.value != 0 || profTimer.value != 0;
        }
        if (cpu) {
            svc.watchCpu(this);
        }
    }

    private static void cancel(TimerService.Alarm a) {
        if (a != null) {
            a.cancel();
        }
    }
}
