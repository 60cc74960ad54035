package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * Timeouts and temporary signal masks of the waiting calls (poll, select, epoll_wait and their
 * p-variants), as fs/select.c handles them: a timeout becomes an absolute deadline on the sandbox's
 * monotonic clock ({@link #NEVER} for none), and the remaining time is written back where Linux writes
 * it.
 */
final class WaitTimes {
    private WaitTimes() {}

    static final long NANOS = 1_000_000_000L;
    /** No timeout. */
    static final long NEVER = Long.MAX_VALUE;
    /** SIGKILL and SIGSTOP can never be blocked. */

    static long now(Task t) {
        return t.kernel.clock().now();
    }

    /** poll_select_set_timeout: EINVAL unless sec >= 0 and 0 <= nsec < 1e9; the deadline. */
    static long deadline(Task t, long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= NANOS) {
            throw new SyscallException(Errno.EINVAL);
        }
        return after(now(t), sec, nsec);
    }

    static long after(long now, long sec, long nsec) {
        if (sec >= (NEVER - now) / NANOS) {
            return NEVER - 1; // as far as it gets, yet still a timeout (written back as such)
        }
        return now + sec * NANOS + nsec;
    }

    /** A deadline {@code ms} milliseconds away (poll, epoll_wait); negative: none. */
    static long deadlineMillis(Task t, long ms) {
        if (ms < 0) {
            return NEVER;
        }
        return after(now(t), ms / 1000, ms % 1000 * 1_000_000L);
    }

    /** Reads a struct timespec as {sec, nsec}. */
    static long[] readTimespec(Task t, long addr) {
        return new long[] {t.mm().readLong(addr), t.mm().readLong(addr + 8)};
    }

    /** Nanoseconds left until {@code deadline}, never negative. */
    static long remaining(Task t, long deadline) {
        return Math.max(0, deadline - now(t));
    }

    /**
     * poll_select_finish for a struct timespec ({@code timeval}: struct timeval) at {@code addr}:
     * writes the time left unless the timeout was zero; if it cannot, an interrupted call may not
     * restart and becomes EINTR.
     */
    static long finish(Task t, long addr, boolean zero, long deadline, long ret, boolean timeval) {
        if (addr == 0 || zero) {
            return ret;
        }
        long left = remaining(t, deadline);
        try {
            t.mm().writeLong(addr, left / NANOS);
            t.mm().writeLong(addr + 8, timeval ? left % NANOS / 1000 : left % NANOS);
        } catch (SyscallException e) {
            return ret == -Errno.ERESTARTNOHAND ? -Errno.EINTR : ret;
        }
        return ret;
    }

    /**
     * set_user_sigmask: reads the mask the wait runs with ({@code addr} 0: none, null is returned);
     * EINVAL unless {@code size} is 8.
     */
    static Long readSigmask(Task t, long addr, long size) {
        if (addr == 0) {
            return null;
        }
        if (size != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        return t.mm().readLong(addr);
    }

    /**
     * Runs {@code wait} with the signal mask {@code mask} (null: unchanged). When a signal interrupts
     * the wait, the wait's mask stays in force for the handler and the caller's comes back when the
     * handler returns (its frame holds it), as Linux's restore_saved_sigmask_unless does; otherwise
     * the caller's mask is restored at once.
     */
    static long withMask(Task t, Long mask, java.util.function.LongSupplier wait) {
        if (mask == null) {
            return wait.getAsLong();
        }
        long saved = t.signalMask;
        t.setSignalMask(mask);
        boolean interrupted = false;
        try {
            long r = wait.getAsLong();
            interrupted = r == -Errno.EINTR || r == -Errno.ERESTARTNOHAND;
            return r;
        } finally {
            if (interrupted) {
                t.savedMask = saved;
                t.hasSavedMask = true;
            } else {
                t.setSignalMask(saved);
            }
        }
    }
}
