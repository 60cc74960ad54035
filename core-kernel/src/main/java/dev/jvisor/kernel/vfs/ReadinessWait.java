package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.MonotonicClock;
import dev.jvisor.kernel.Task;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One task waiting until any of several objects is ready, or a deadline passes: the wait of poll,
 * select, epoll_wait and of a blocking read on a timerfd. The task watches each object's
 * {@link WaitQueue} (so a change wakes it) and sleeps no later than the earliest time any object's
 * readiness can change by itself ({@link FileDescription#nextReadinessChangeNanos}, e.g. a timer
 * expiring), so nothing needs a host timer and nothing must be re-armed after a restore.
 *
 * <p>The scan runs while the task's monitor is held, and watchers notify under that monitor, so a
 * change between the scan and the sleep is not lost (see {@link WaitQueue}). Host state only: it
 * lives for one syscall. Close it (try-with-resources) to unregister from every queue.
 */
public final class ReadinessWait implements WaitQueue.Watcher, AutoCloseable {
    /** How a wait ended. */
    public enum Outcome { READY, TIMED_OUT, INTERRUPTED }

    /** One look at the watched objects: true to stop waiting; calls {@link #changeAt} for timed readiness. */
    @FunctionalInterface
    public interface Scan {
        boolean ready(ReadinessWait w);
    }

    /** Longest single sleep: a safety net, the wake-ups and deadlines are what make waiting prompt. */
    private static final long SLICE_NS = 1_000_000_000L;
    private final Task t;
    private final Set<WaitQueue> queues = Collections.newSetFromMap(new IdentityHashMap<>());
    private long nextChange;

    public ReadinessWait(Task t) {
        this.t = t;
    }

    /** Wakes this wait whenever {@code q} is woken; null (an object whose readiness never changes) is ignored. */
    public void watch(WaitQueue q) {
        if (q != null && queues.add(q)) {
            q.watch(this);
        }
    }

    /** During a scan: some watched object's readiness may change by itself at {@code when} (sandbox monotonic ns). */
    public void changeAt(long when) {
        if (when < nextChange) {
            nextChange = when;
        }
    }

    /**
     * Scans until the scan reports ready, the sandbox monotonic clock reaches {@code deadline}
     * ({@code Long.MAX_VALUE}: never), or the task is interrupted (checkpoint, signal, exit). A
     * deadline already passed scans once without sleeping.
     */
    public Outcome await(long deadline, Scan scan) {
        MonotonicClock clock = t.kernel.clock();
        boolean rescanned = false;
        synchronized (t) {
            while (true) {
                nextChange = Long.MAX_VALUE;
                if (scan.ready(this)) {
                    return Outcome.READY;
                }
                long now = clock.now();
                if (now >= deadline) {
                    return Outcome.TIMED_OUT;
                }
                // A kick (signal, exit, checkpoint), or a signal the wait's own mask lets through.
                if (!t.sleepUntil(0) || t.signalPending()) {
                    return Outcome.INTERRUPTED;
                }
                long left = Math.min(deadline, nextChange) - now;
                if (left <= 0) {
                    // A change was due already: look again at once, but never spin.
                    if (!rescanned) {
                        rescanned = true;
                        continue;
                    }
                    left = 100_000;
                }
                rescanned = false;
                left = Math.min(left, SLICE_NS);
                try {
                    t.wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.INTERRUPTED;
                }
            }
        }
    }

    @Override
    public void wake(int events) {
        synchronized (t) {
            t.notifyAll();
        }
    }

    @Override
    public void close() {
        for (WaitQueue q : queues) {
            q.unwatch(this);
        }
        queues.clear();
    }
}
