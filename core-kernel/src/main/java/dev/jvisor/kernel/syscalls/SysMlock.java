package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.mm.Vma;

/**
 * Memory locks (mm/mlock.c): mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2). All
 * sandbox memory stays in the memory file, so a lock changes no paging; it is recorded on the
 * mappings (VM_LOCKED, shown as VmLck) and limited as Linux limits it: RLIMIT_MEMLOCK for a caller
 * without CAP_IPC_LOCK (ENOMEM past it, EPERM when it is 0), ENOMEM for unmapped pages.
 */
final class SysMlock {
    private SysMlock() {}

    private static final int MLOCK_ONFAULT = 1;
    private static final int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;

    private static boolean capable(Task t) {
        return t.threadGroup().creds.hasCap(Capabilities.CAP_IPC_LOCK);
    }

    private static long limit(Task t) {
        return t.threadGroup().limits.soft[Limits.RLIMIT_MEMLOCK];
    }

    /** can_do_mlock: a non-zero RLIMIT_MEMLOCK or CAP_IPC_LOCK. */
    private static void checkCanLock(Task t) {
        if (limit(t) == 0 && !capable(t)) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** mlock(2) */
    static long mlock(Task t, SyscallArgs a) {
        return doMlock(t, a.a0, a.a1, Vma.VM_LOCKED);
    }

    /** mlock2(2): MLOCK_ONFAULT is the only flag. */
    static long mlock2(Task t, SyscallArgs a) {
        if ((a.a2 & ~(long) MLOCK_ONFAULT) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return doMlock(t, a.a0, a.a1, Vma.VM_LOCKED | ((a.a2 & MLOCK_ONFAULT) != 0 ? Vma.VM_LOCKONFAULT : 0));
    }

    /**
     * do_mlock: the range grows to whole pages; the pages it would newly lock, with those already
     * locked, must fit RLIMIT_MEMLOCK (ENOMEM) unless the caller has CAP_IPC_LOCK.
     */
    private static long doMlock(Task t, long start, long len, int flags) {
        checkCanLock(t);
        long end = MemoryManager.pageUp(len + (start & (MemoryManager.PAGE - 1)));
        start = MemoryManager.pageDown(start);
        end = start + end;
        MemoryManager mm = t.mm();
        if (!capable(t)) {
            long locked = mm.lockedBytes(0, Long.MAX_VALUE) + (end - start) - mm.lockedBytes(start, end);
            if (Long.compareUnsigned(locked, limit(t)) > 0) {
                throw new SyscallException(Errno.ENOMEM);
            }
        }
        mm.setLockFlags(start, end, flags);
        if ((flags & Vma.VM_LOCKONFAULT) == 0) {
            // __mm_populate faults the pages in; a PROT_NONE mapping fails that (EFAULT, reported as
            // ENOMEM), though it stays locked, as in Linux.
            for (Vma v : mm.vmas()) {
                if (v.start < end && v.end > start && v.prot == 0) {
                    throw new SyscallException(Errno.ENOMEM);
                }
            }
        }
        return 0;
    }

    /** munlock(2) */
    static long munlock(Task t, SyscallArgs a) {
        long start = a.a0;
        long end = MemoryManager.pageUp(a.a1 + (start & (MemoryManager.PAGE - 1)));
        start = MemoryManager.pageDown(start);
        t.mm().setLockFlags(start, start + end, 0);
        return 0;
    }

    /**
     * mlockall(2): MCL_CURRENT locks every mapping (ENOMEM if they exceed RLIMIT_MEMLOCK without
     * CAP_IPC_LOCK), MCL_FUTURE every later one, MCL_ONFAULT only with one of them.
     */
    static long mlockall(Task t, SyscallArgs a) {
        long flags = a.a0 & 0xffffffffL;
        if (flags == 0 || (flags & ~(long) (MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            throw new SyscallException(Errno.EINVAL);
        }
        checkCanLock(t);
        MemoryManager mm = t.mm();
        boolean current = (flags & MCL_CURRENT) != 0;
        if (current && !capable(t) && Long.compareUnsigned(mm.mappedBytes(), limit(t)) > 0) {
            throw new SyscallException(Errno.ENOMEM);
        }
        int onFault = (flags & MCL_ONFAULT) != 0 ? Vma.VM_LOCKONFAULT : 0;
        int future = (flags & MCL_FUTURE) != 0 ? Vma.VM_LOCKED | onFault : 0;
        mm.setLockFlagsAll(current, Vma.VM_LOCKED | onFault, future);
        return 0;
    }

    /** munlockall(2) */
    static long munlockall(Task t, SyscallArgs a) {
        t.mm().setLockFlagsAll(true, 0, 0);
        return 0;
    }

    /**
     * mlock_future_ok: a new mapping that will be locked (MAP_LOCKED, or after mlockall MCL_FUTURE)
     * must fit RLIMIT_MEMLOCK with what is locked already, unless CAP_IPC_LOCK: else EAGAIN.
     */
    static void checkFutureLock(Task t, long len) {
        if (capable(t)) {
            return;
        }
        long locked = t.mm().lockedBytes(0, Long.MAX_VALUE) + MemoryManager.pageUp(len);
        if (Long.compareUnsigned(locked, limit(t)) > 0) {
            throw new SyscallException(Errno.EAGAIN);
        }
    }
}
