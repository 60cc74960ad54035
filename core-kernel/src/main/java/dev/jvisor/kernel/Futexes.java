package dev.jvisor.kernel;

import dev.jvisor.kernel.mm.MemoryManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Futex wait queues, keyed by address space and address. Host-side state only: a task waiting on a
 * futex is inside a syscall, which a checkpoint abandons and restarts, so no queue is ever saved.
 */
public final class Futexes {
    private record Key(MemoryManager mm, long addr) {}

    /** One waiting task. */
    private static final class Waiter {
        final Task task;
        final int bitset;
        boolean woken;

        Waiter(Task task, int bitset) {
            this.task = task;
            this.bitset = bitset;
        }
    }

    private final Map<Key, List<Waiter>> queues = new HashMap<>();

    /**
     * FUTEX_WAIT: if the word still holds {@code expected}, sleeps until woken or {@code deadline}
     * (sandbox monotonic ns, or Long.MAX_VALUE). Returns 0 when woken, -EAGAIN if the value differed,
     * -ETIMEDOUT, or -ERESTARTSYS if interrupted.
     */
    public long await(Task t, long addr, int expected, int bitset, long deadline) {
        Key key = new Key(t.mm(), addr);
        Waiter w = new Waiter(t, bitset);
        synchronized (this) {
            if (t.mm().readInt(addr) != expected) {
                return -Errno.EAGAIN;
            }
            queues.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        }
        boolean woken;
        synchronized (t) {
            while (true) {
                synchronized (this) {
                    if (w.woken) {
                        woken = true;
                        break;
                    }
                }
                if (!t.sleepUntil(Math.min(deadline, t.kernel.clock().now() + 50_000_000L)) || t.kernel.clock().now() >= deadline) {
                    woken = false;
                    break;
                }
            }
        }
        synchronized (this) {
            if (w.woken) {
                return 0;
            }
            List<Waiter> q = queues.get(key);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    queues.remove(key);
                }
            }
        }
        return t.kernel.clock().now() >= deadline ? -Errno.ETIMEDOUT : -Errno.ERESTARTSYS;
    }

    /** FUTEX_WAKE: wakes up to {@code n} waiters whose bitset matches; returns how many. */
    public int wake(MemoryManager mm, long addr, int n, int bitset) {
        List<Task> toNotify = new ArrayList<>();
        synchronized (this) {
            List<Waiter> q = queues.get(new Key(mm, addr));
            if (q == null) {
                return 0;
            }
            for (var it = q.iterator(); it.hasNext() && toNotify.size() < n; ) {
                Waiter w = it.next();
                if ((w.bitset & bitset) != 0) {
                    w.woken = true;
                    it.remove();
                    toNotify.add(w.task);
                }
            }
            if (q.isEmpty()) {
                queues.remove(new Key(mm, addr));
            }
        }
        // Outside our lock: a waiter holds its task's monitor while it checks ours.
        for (Task t : toNotify) {
            synchronized (t) {
                t.notifyAll();
            }
        }
        return toNotify.size();
    }
}
