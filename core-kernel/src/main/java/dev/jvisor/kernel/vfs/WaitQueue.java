package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What is waiting for an object (a pipe, an eventfd, a socket) to change: tasks blocked in one of its
 * own calls ({@link #await}), and registered {@link Watcher}s, which are how epoll entries and
 * poll/select waiters watching several objects at once hear about it. The object calls
 * {@link #wakeAll()} (or {@link #wakeAll(int)} with the POLL* events that may have changed) whenever
 * its state, and so its readiness, may have changed.
 *
 * <p>Waiting follows the Futexes discipline: the waiter holds its task's monitor while it checks
 * the condition (under the object's monitor, {@code lock}) and then waits on the task's monitor; a
 * waker changes the state under {@code lock}, releases it, and only then wakes the queue, which
 * notifies each task under that task's monitor. So no wake-up is lost and the two monitors are never
 * taken in the opposite order. Watchers are called the same way: after the state changed, with no
 * lock of the object held, so a watcher may look at the object's readiness.
 *
 * <p>A queue may be kept in the kernel graph (a plain field) or be host state (a {@code transient}
 * field created lazily). Blocked tasks are never in it at a checkpoint (every wait is abandoned
 * first, and restarts after), and the only watchers that outlive a syscall are epoll entries, which
 * are part of the graph: so a queue in a plain field keeps its epoll registrations across a
 * checkpoint, and epoll re-registers on a queue that was rebuilt after a restore.
 */
public final class WaitQueue {
    /** Something told when the queue is woken: an epoll entry, a task polling several objects. */
    public interface Watcher {
        /**
         * The object's readiness may have changed; {@code events} are the POLL* bits concerned, or
         * {@link PollEvents#ANY}. Called without the object's lock; must not block.
         */
        void wake(int events);
    }

    /** Longest single wait: a safety net, the wake-ups are what make waiting prompt. */
    private static final long SLICE_MS = 1000;
    private final List<Task> waiters = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();

    /**
     * Blocks {@code t} until {@code ready} (evaluated while holding {@code lock}) is true; returns
     * false if the task was interrupted first (checkpoint, exit, signal): the syscall must then
     * return -ERESTARTSYS (or what it has done so far).
     */
    public boolean await(Task t, Object lock, BooleanSupplier ready) {
        synchronized (this) {
            waiters.add(t);
        }
        try {
            synchronized (t) {
                while (true) {
                    synchronized (lock) {
                        if (ready.getAsBoolean()) {
                            return true;
                        }
                    }
                    // sleepUntil with a deadline already passed only reports an interruption.
                    if (!t.sleepUntil(0)) {
                        return false;
                    }
                    try {
                        t.wait(SLICE_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        } finally {
            synchronized (this) {
                waiters.remove(t);
            }
        }
    }

    /** What {@link #awaitUntil} returns. */
    public static final int READY = 1, TIMED_OUT = 0, INTERRUPTED = -1;

    /**
     * {@link #await} with a deadline on the sandbox's monotonic clock ({@code Long.MAX_VALUE}: none):
     * READY, TIMED_OUT (the condition was still false at the deadline) or INTERRUPTED.
     */
    public int awaitUntil(Task t, Object lock, BooleanSupplier ready, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return await(t, lock, ready) ? READY : INTERRUPTED;
        }
        synchronized (this) {
            waiters.add(t);
        }
        try {
            synchronized (t) {
                while (true) {
                    synchronized (lock) {
                        if (ready.getAsBoolean()) {
                            return READY;
                        }
                    }
                    if (!t.sleepUntil(0)) {
                        return INTERRUPTED;
                    }
                    long left = deadline - t.kernel.clock().now();
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                    try {
                        long ms = Math.min(SLICE_MS, left / 1_000_000);
                        t.wait(ms, ms == SLICE_MS ? 0 : (int) Math.max(left % 1_000_000, 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return INTERRUPTED;
                    }
                }
            }
        } finally {
            synchronized (this) {
                waiters.remove(t);
            }
        }
    }

    /** Registers {@code w} to be told of every wake-up until {@link #unwatch}. */
    public void watch(Watcher w) {
        synchronized (this) {
            watchers.add(w);
        }
    }

    public void unwatch(Watcher w) {
        synchronized (this) {
            for (int i = watchers.size() - 1; i >= 0; i--) {
                if (watchers.get(i) == w) {
                    watchers.remove(i);
                    return;
                }
            }
        }
    }

    /** Whether {@code w} is registered (epoll checks its registrations after a restore). */
    public boolean watches(Watcher w) {
        synchronized (this) {
            for (Watcher x : watchers) {
                if (x == w) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Wakes every waiting task and watcher: anything may have changed. Call without the object's lock. */
    public void wakeAll() {
        wakeAll(PollEvents.ANY);
    }

    /**
     * Wakes every waiting task and watcher because the POLL* {@code events} may have changed (Linux's
     * wake-up key: an edge-triggered epoll entry not interested in them is not queued). Call without
     * the object's lock.
     */
    public void wakeAll(int events) {
        Task[] tasks;
        Watcher[] ws;
        synchronized (this) {
            if (waiters.isEmpty() && watchers.isEmpty()) {
                return;
            }
            tasks = waiters.toArray(new Task[0]);
            ws = watchers.toArray(new Watcher[0]);
        }
        for (Task t : tasks) {
            synchronized (t) {
                t.notifyAll();
            }
        }
        for (Watcher w : ws) {
            w.wake(events);
        }
    }
}
