package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Futexes;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.futex.Deadline;
import dev.jvisor.kernel.futex.RobustList;

/**
 * futex(2), futex_waitv(2) and get_robust_list(2): argument decoding and checks in Linux's order
 * (kernel/futex/syscalls.c); the queues and operations are {@link Futexes}.
 */
final class SysFutex {
    private SysFutex() {}

    private static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
            FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    private static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    private static final long NANOS = 1_000_000_000L;
    /** Linux's KTIME_SEC_MAX: timespecs beyond it mean "forever". */
    private static final long KTIME_SEC_MAX = Long.MAX_VALUE / NANOS;
    private static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
    /** futex_waitv: FUTEX_WAITV_MAX, sizeof(struct futex_waitv), FUTEX2_SIZE_U32, FUTEX2_PRIVATE. */
    private static final int WAITV_MAX = 128, WAITV_SIZE = 24, FUTEX2_SIZE_MASK = 3, FUTEX2_SIZE_U32 = 2,
            FUTEX2_PRIVATE = 128;

    /** futex(2) */
    static long futex(Task t, SyscallArgs a) {
        long uaddr = a.a0;
        int op = (int) a.a1;
        int val = (int) a.a2;
        long utime = a.a3;
        long uaddr2 = a.a4;
        int val3 = (int) a.a5;
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean shared = (op & FUTEX_PRIVATE_FLAG) == 0;
        boolean clockRealtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        // The timeout is read and checked first, for the commands that take one.
        Deadline deadline = Deadline.NEVER;
        boolean timed = utime != 0 && (cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2
                || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI);
        if (timed) {
            long ns = readTimespec(t, utime);
            if (cmd == FUTEX_WAIT) {
                deadline = Deadline.after(t.kernel.clock(), ns);
            } else {
                // Absolute; FUTEX_LOCK_PI always counts on CLOCK_REALTIME.
                deadline = new Deadline(ns, clockRealtime || cmd == FUTEX_LOCK_PI);
            }
        }
        if (clockRealtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) {
            return -Errno.ENOSYS;
        }
        // Where no timeout is taken, the fourth argument is a count (val2), truncated to 32 bits.
        int val2 = (int) utime;
        Futexes f = t.kernel.runtime().futexes();
        return switch (cmd) {
            case FUTEX_WAIT -> timed ? waitWithRestart(t, uaddr, val, Futexes.BITSET_MATCH_ANY, shared, deadline)
                    : f.wait(t, uaddr, shared, val, Futexes.BITSET_MATCH_ANY, deadline);
            case FUTEX_WAIT_BITSET -> timed ? waitWithRestart(t, uaddr, val, val3, shared, deadline)
                    : f.wait(t, uaddr, shared, val, val3, deadline);
            case FUTEX_WAKE -> f.wake(t, uaddr, shared, val, Futexes.BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET -> f.wake(t, uaddr, shared, val, val3);
            case FUTEX_REQUEUE -> f.requeue(t, uaddr, uaddr2, shared, val, val2, null);
            case FUTEX_CMP_REQUEUE -> f.requeue(t, uaddr, uaddr2, shared, val, val2, val3);
            case FUTEX_WAKE_OP -> f.wakeOp(t, uaddr, uaddr2, shared, val, val2, val3);
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2 -> f.lockPi(t, uaddr, shared, deadline, false);
            case FUTEX_TRYLOCK_PI -> f.lockPi(t, uaddr, shared, Deadline.NEVER, true);
            case FUTEX_UNLOCK_PI -> f.unlockPi(t, uaddr, shared);
            case FUTEX_WAIT_REQUEUE_PI -> f.waitRequeuePi(t, uaddr, uaddr2, shared, val, deadline);
            case FUTEX_CMP_REQUEUE_PI -> f.cmpRequeuePi(t, uaddr, uaddr2, shared, val, val2, val3);
            // FUTEX_FD was removed in Linux 2.6.26.
            default -> -Errno.ENOSYS;
        };
    }

    /**
     * A timed FUTEX_WAIT: if interrupted, records the absolute deadline for restart_syscall(2), as
     * Linux's futex_wait does.
     */
    static long waitWithRestart(Task t, long addr, int val, int bitset, boolean shared, Deadline deadline) {
        long r = t.kernel.runtime().futexes().wait(t, addr, shared, val, bitset, deadline);
        if (r == -Errno.ERESTARTSYS) {
            t.restart = new FutexWaitRestart(addr, val, bitset, shared, deadline);
            return -Errno.ERESTART_RESTARTBLOCK;
        }
        return r;
    }

    /** futex_waitv(2) */
    static long futexWaitv(Task t, SyscallArgs a) {
        long waiters = a.a0;
        int nr = (int) a.a1;
        if ((int) a.a2 != 0) {
            return -Errno.EINVAL;
        }
        if (nr == 0 || Integer.compareUnsigned(nr, WAITV_MAX) > 0 || waiters == 0) {
            return -Errno.EINVAL;
        }
        Deadline deadline = Deadline.NEVER;
        if (a.a3 != 0) {
            int clock = (int) a.a4;
            if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
                return -Errno.EINVAL;
            }
            deadline = new Deadline(readTimespec(t, a.a3), clock == CLOCK_REALTIME);
        }
        long[] addrs = new long[nr];
        int[] vals = new int[nr];
        boolean[] shared = new boolean[nr];
        for (int i = 0; i < nr; i++) {
            byte[] b = t.mm().read(waiters + (long) i * WAITV_SIZE, WAITV_SIZE);
            java.nio.ByteBuffer e = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long val = e.getLong(0);
            int flags = e.getInt(16);
            if ((flags & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) != 0 || e.getInt(20) != 0
                    || (flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (val >>> 32) != 0) {
                return -Errno.EINVAL;
            }
            vals[i] = (int) val;
            addrs[i] = e.getLong(8);
            shared[i] = (flags & FUTEX2_PRIVATE) == 0;
        }
        return t.kernel.runtime().futexes().waitv(t, addrs, vals, shared, deadline);
    }

    /** get_robust_list(2) */
    static long getRobustList(Task t, SyscallArgs a) {
        int pid = (int) a.a0;
        Task p = t;
        if (pid != 0) {
            p = null;
            for (Task o : t.kernel.tasks()) {
                if (o.tid == pid) {
                    p = o;
                }
            }
            if (p == null) {
                return -Errno.ESRCH;
            }
        }
        long head = p.robustList;
        t.mm().writeLong(a.a2, RobustList.HEAD_SIZE);
        t.mm().writeLong(a.a1, head);
        return 0;
    }

    /** A struct timespec as nanoseconds: EFAULT, EINVAL when invalid, saturated like timespec64_to_ktime. */
    private static long readTimespec(Task t, long addr) {
        long sec = t.mm().readLong(addr);
        long nsec = t.mm().readLong(addr + 8);
        if (sec < 0 || Long.compareUnsigned(nsec, NANOS) >= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return sec >= KTIME_SEC_MAX ? Long.MAX_VALUE : sec * NANOS + nsec;
    }
}
