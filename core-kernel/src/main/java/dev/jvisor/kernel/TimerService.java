package dev.jvisor.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The host side of the sandbox's timers: one thread that runs timer expirations at their deadlines
 * (on the sandbox's monotonic clock or the host's realtime clock) and polls the CPU time of processes
 * with CPU-time itimers. It holds no timer state: that lives in each process's {@link ProcessTimers}
 * in the kernel graph, and after a restore {@link #rearmAll} schedules every armed timer again.
 *
 * <p>While a checkpoint writes the kernel graph, expirations wait ({@link #pause}); they run when the
 * sandbox resumes, or, in a restored sandbox, fire from the snapshot's state: none is lost, none runs
 * twice. Owned by {@link KernelRuntime}; never checkpointed.
 */
public final class TimerService {
    /** How often CPU-time timers look at the CPU time the host charged (Linux checks at each tick). */
    static final long CPU_POLL_NANOS = 10_000_000L;

    /** One scheduled expiration; a timer compares it with the one it holds to ignore stale ones. */
    public static final class Alarm {
        private volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    private final Kernel kernel;
    private final ScheduledThreadPoolExecutor exec;
    /** Held while an expiration runs, so {@link #pause} can wait for it to finish. */
    private final Object fireLock = new Object();
    private boolean paused;
    /** Read without fireLock: callers of {@link #at} may hold the kernel lock, which an expiration takes inside fireLock. */
    private volatile boolean shutdown;
    private final List<Runnable> deferred = new ArrayList<>();
    private final Set<ProcessTimers> cpuWatched = new LinkedHashSet<>();
    private ScheduledFuture<?> cpuPoll;

    TimerService(Kernel kernel) {
        this.kernel = kernel;
        this.exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "timers");
            th.setDaemon(true);
            return th;
        });
        exec.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code expire} on the timer thread once {@code deadline} is reached: sandbox monotonic
     * nanoseconds, or host realtime nanoseconds when {@code realtime}, handing it the returned alarm.
     * {@code expire} must check the
     * clock itself (a realtime clock may be stepped) and re-arm if it woke early.
     */
    /* Lock order: kernel lock, then this class's monitors other than fireLock; an expiration holds
     * fireLock and then takes the kernel lock, so nothing called with the kernel lock held may take
     * fireLock. */
    Alarm at(boolean realtime, long deadline, java.util.function.Consumer<Alarm> expire) {
        long now = realtime ? ProcessTimers.realtimeNow() : kernel.clock().now();
        long delay = Math.max(0, deadline - now);
        Alarm a = new Alarm();
        if (shutdown) {
            return a;
        }
        try {
            a.future = exec.schedule(() -> fire(a, expire), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shut down meanwhile: the sandbox is ending
        }
        return a;
    }

    private void fire(Alarm a, java.util.function.Consumer<Alarm> expire) {
        synchronized (fireLock) {
            if (a.cancelled || shutdown) {
                return;
            }
            if (paused) {
                deferred.add(() -> fire(a, expire));
                return;
            }
            try {
                expire.accept(a);
            } catch (RuntimeException e) {
                KernelRuntime rt = kernel.runtime();
                if (rt != null) {
                    rt.warn("timer expiry failed: " + e);
                }
            }
        }
    }

    /** Starts polling the CPU time of {@code pt}'s process (an armed ITIMER_VIRTUAL or ITIMER_PROF). */
    void watchCpu(ProcessTimers pt) {
        synchronized (cpuWatched) {
            if (!cpuWatched.add(pt) || cpuPoll != null || shutdown) {
                return;
            }
            try {
                cpuPoll = exec.scheduleWithFixedDelay(this::pollCpu, CPU_POLL_NANOS, CPU_POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shut down meanwhile
            }
        }
    }

    private void pollCpu() {
        List<ProcessTimers> list;
        synchronized (cpuWatched) {
            list = new ArrayList<>(cpuWatched);
        }
        synchronized (fireLock) {
            if (paused || shutdown) {
                return; // CPU time does not pass while the sandbox is frozen; the next poll catches up
            }
            for (ProcessTimers pt : list) {
                if (!pt.pollCpu()) {
                    synchronized (cpuWatched) {
                        cpuWatched.remove(pt);
                    }
                }
            }
        }
        synchronized (cpuWatched) {
            if (cpuWatched.isEmpty() && cpuPoll != null) {
                cpuPoll.cancel(false);
                cpuPoll = null;
            }
        }
    }

    /**
     * Before a checkpoint writes the graph: waits for a running expiration to finish and holds back
     * the next ones until {@link #resume}.
     */
    void pause() {
        synchronized (fireLock) {
            paused = true;
        }
    }

    /** After a checkpoint, when the sandbox goes on: runs the expirations that came meanwhile. */
    void resume() {
        List<Runnable> late;
        synchronized (fireLock) {
            paused = false;
            late = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (Runnable r : late) {
            try {
                exec.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    /** After a restore: schedules every armed timer of every live process from the restored state. */
    void rearmAll() {
        for (ThreadGroup tg : kernel.groups()) {
            tg.timers.rearmAfterRestore(this);
        }
    }

    /** The sandbox is ending: nothing fires any more. */
    void shutdown() {
        // No fireLock here: the caller holds the runtime's monitor, and an expiration may be waiting
        // for the kernel lock; it sees the flag or the executor's interruption and ends.
        shutdown = true;
        exec.shutdownNow();
    }
}
