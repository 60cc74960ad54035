package dev.jvisor.kernel.futex;

import static dev.jvisor.kernel.Futexes.FUTEX_OWNER_DIED;
import static dev.jvisor.kernel.Futexes.FUTEX_TID_MASK;
import static dev.jvisor.kernel.Futexes.FUTEX_WAITERS;

import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.mm.MemoryManager;

/**
 * The robust-futex list an exiting thread leaves behind (set_robust_list(2)), walked as Linux's
 * exit_robust_list does. The list lives in app memory: struct robust_list_head { next,
 * futex_offset, list_op_pending }, each entry a struct robust_list { next } whose lock word lies
 * futex_offset bytes away, bit 0 of a pointer marking a PI lock. Every lock whose word still names
 * the dead thread gets FUTEX_OWNER_DIED (and loses the TID), and one waiter of a non-PI lock is
 * woken. Any sign of a bad list ends the walk silently.
 */
public final class RobustList {
    /** Linux's ROBUST_LIST_LIMIT: the most entries walked, against long or circular lists. */
    public static final int LIMIT = 2048;
    /** sizeof(struct robust_list_head), the only length set_robust_list accepts. */
    public static final int HEAD_SIZE = 24;

    /** Wakes one waiter of the futex at an address (a shared FUTEX_WAKE). */
    @FunctionalInterface
    public interface Waker {
        void wakeOne(long uaddr);
    }

    private final MemoryManager mm;
    private final int tid;
    private final Waker waker;

    private RobustList(MemoryManager mm, int tid, Waker waker) {
        this.mm = mm;
        this.tid = tid;
        this.waker = waker;
    }

    /** Walks the list at {@code head} of the dying thread {@code tid}. */
    public static void walk(MemoryManager mm, long head, int tid, Waker waker) {
        new RobustList(mm, tid, waker).walk(head);
    }

    private void walk(long head) {
        long entry, futexOffset, pending;
        try {
            entry = mm.readLong(head);
            futexOffset = mm.readLong(head + 8);
            pending = mm.readLong(head + 16);
        } catch (SyscallException e) {
            return;
        }
        boolean pi = (entry & 1) != 0;
        entry &= ~1L;
        boolean pendingPi = (pending & 1) != 0;
        pending &= ~1L;
        int limit = LIMIT;
        while (entry != head) {
            long next = 0;
            boolean nextOk = true;
            try {
                // Fetch the next entry before handling this one, as Linux does.
                next = mm.readLong(entry);
            } catch (SyscallException e) {
                nextOk = false;
            }
            // A pending lock may already be on the list: do not handle it twice.
            if (entry != pending && !handleDeath(entry + futexOffset, pi, false)) {
                return;
            }
            if (!nextOk) {
                return;
            }
            pi = (next & 1) != 0;
            entry = next & ~1L;
            if (--limit == 0) {
                break;
            }
        }
        if (pending != 0) {
            handleDeath(pending + futexOffset, pendingPi, true);
        }
    }

    /** Linux's handle_futex_death; false stops the walk. */
    private boolean handleDeath(long uaddr, boolean pi, boolean pendingOp) {
        if ((uaddr & 3) != 0) {
            return false;
        }
        int uval;
        try {
            uval = FutexWord.read(mm, uaddr);
        } catch (SyscallException e) {
            return false;
        }
        while (true) {
            if (pendingOp && !pi && uval == 0) {
                // Died between unlocking and waking, or a woken waiter died before taking the lock:
                // wake the next waiter without touching the word.
                waker.wakeOne(uaddr);
                return true;
            }
            if ((uval & FUTEX_TID_MASK) != tid) {
                return true;
            }
            int mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            int cur;
            try {
                cur = FutexWord.cmpxchg(mm, uaddr, uval, mval);
            } catch (SyscallException e) {
                return false;
            }
            if (cur != uval) {
                uval = cur;
                continue;
            }
            // PI waiters get the lock when the dead owner's PI states are handed on.
            if (!pi && (uval & FUTEX_WAITERS) != 0) {
                waker.wakeOne(uaddr);
            }
            return true;
        }
    }
}
