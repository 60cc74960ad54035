package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Tasks blocked on an object (a pipe, a FIFO open) until its state changes. Host-side state only:
 * every wait is inside a syscall, which a checkpoint interrupts and restarts, so hold a queue in a
 * {@code transient} field and create it lazily (after a restore it is null).
 *
 * <p>Waiting follows the Futexes discipline: the waiter holds its task's monitor while it checks
 * the condition (under the object's monitor, {@code lock}) and then waits on the task's monitor; a
 * waker changes the state under {@code lock}, releases it, and only then notifies the tasks. So no
 * wake-up is lost and the two monitors are never taken in the opposite order.
 */
public final class WaitQueue {
    /** Longest single wait: a safety net, the wake-ups are what make waiting prompt. */
    private static final long SLICE_MS = 1000;
    private final List<Task> waiters = new ArrayList<>();

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

    /** Wakes every waiting task so it re-checks its condition. Call without holding the object's lock. */
    public void wakeAll() {
        List<Task> copy;
        synchronized (this) {
            if (waiters.isEmpty()) {
                return;
            }
            copy = new ArrayList<>(waiters);
        }
        for (Task t : copy) {
            synchronized (t) {
                t.notifyAll();
            }
        }
    }
}
