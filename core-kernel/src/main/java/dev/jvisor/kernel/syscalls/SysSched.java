package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.TaskSettings.SCHED_BATCH;
import static dev.jvisor.kernel.TaskSettings.SCHED_DEADLINE;
import static dev.jvisor.kernel.TaskSettings.SCHED_FIFO;
import static dev.jvisor.kernel.TaskSettings.SCHED_IDLE;
import static dev.jvisor.kernel.TaskSettings.SCHED_NORMAL;
import static dev.jvisor.kernel.TaskSettings.SCHED_RR;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.CpuSet;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.TaskSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduling syscalls (kernel/sched/syscalls.c, kernel/sys.c): policies and priorities, nice values,
 * CPU affinity, yield and getcpu. The Sentry's threads are scheduled by the host, so policies and
 * nice values are recorded with Linux's checks and reported back (and in /proc), not enforced; the
 * affinity mask is over the sandbox's CPUs.
 */
final class SysSched {
    private SysSched() {}

    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final int MAX_RT_PRIO = 100;
    private static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
    /** The sandbox's scheduler tick (CONFIG_HZ=250, as CLOCK_*_COARSE's resolution shows). */
    private static final long TICK_NS = 4_000_000;
    /** SCHED_RR's time slice (RR_TIMESLICE: 100 ms). */
    private static final long RR_TIMESLICE_NS = 100_000_000;

    // ---- CPUs ----------------------------------------------------------------------------------------

    /** sched_getaffinity(2): returns the bytes written (the kernel's mask size, at most len). */
    static long schedGetaffinity(Task t, SyscallArgs a) {
        long len = a.a1 & 0xffffffffL;
        if (len * 8 < CpuSet.count() || (len & 7) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] mask = CpuSet.effective(Tasks.byTid(t, (int) a.a0));
        int n = (int) Math.min(len, CpuSet.maskBytes());
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (mask[i / 8] >>> (8 * (i % 8)));
        }
        t.mm().copyOut(a.a2, b, 0, n);
        return n;
    }

    /**
     * sched_setaffinity(2): a short mask is zero-extended, a long one truncated; the new mask keeps
     * only CPUs the sandbox has, and none of those is EINVAL. Another user's task needs CAP_SYS_NICE.
     */
    static long schedSetaffinity(Task t, SyscallArgs a) {
        long len = a.a1 & 0xffffffffL;
        int size = CpuSet.maskBytes();
        byte[] b = new byte[size];
        t.mm().copyIn(a.a2, b, 0, (int) Math.min(len, size));
        Task target = Tasks.byTid(t, (int) a.a0);
        checkSameOwner(t, target);
        long[] mask = new long[size / 8];
        for (int i = 0; i < size; i++) {
            mask[i / 8] |= (b[i] & 0xffL) << (8 * (i % 8));
        }
        int n = CpuSet.count();
        boolean any = false;
        for (int i = 0; i < n && !any; i++) {
            any = (mask[i / 64] & (1L << (i % 64))) != 0;
        }
        if (!any) {
            throw new SyscallException(Errno.EINVAL);
        }
        target.settings.cpuMask = mask;
        return 0;
    }

    /** check_same_owner: the caller's euid is the target's real or effective uid, or CAP_SYS_NICE. */
    private static void checkSameOwner(Task t, Task target) {
        if (!sameOwner(t, target) && !t.threadGroup().creds.hasCap(Capabilities.CAP_SYS_NICE)) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    private static boolean sameOwner(Task t, Task target) {
        Credentials c = t.threadGroup().creds, o = target.threadGroup().creds;
        return c.euid == o.euid || c.euid == o.uid;
    }

    /** getcpu(2): the lowest CPU the thread may run on (the Sentry does not pin it; this is stable). */
    static long getcpu(Task t, SyscallArgs a) {
        long[] mask = CpuSet.effective(t);
        int cpu = 0;
        while ((mask[cpu / 64] & (1L << (cpu % 64))) == 0) {
            cpu++;
        }
        if (a.a0 != 0) {
            t.mm().writeInt(a.a0, cpu);
        }
        if (a.a1 != 0) {
            t.mm().writeInt(a.a1, 0);
        }
        return 0;
    }

    /** sched_yield(2) */
    static long schedYield(Task t, SyscallArgs a) {
        Thread.yield();
        return 0;
    }

    // ---- policies --------------------------------------------------------------------------------------

    private static boolean rtPolicy(int p) {
        return p == SCHED_FIFO || p == SCHED_RR;
    }

    private static boolean validPolicy(int p) {
        return p == SCHED_NORMAL || p == SCHED_BATCH || p == SCHED_IDLE || rtPolicy(p) || p == SCHED_DEADLINE;
    }

    /** sched_getscheduler(2) */
    static long schedGetscheduler(Task t, SyscallArgs a) {
        int pid = (int) a.a0;
        if (pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        TaskSettings s = Tasks.byTid(t, pid).settings;
        return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
    }

    /** sched_getparam(2) */
    static long schedGetparam(Task t, SyscallArgs a) {
        int pid = (int) a.a0;
        if (a.a1 == 0 || pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        TaskSettings s = Tasks.byTid(t, pid).settings;
        t.mm().writeInt(a.a1, rtPolicy(s.policy) ? s.rtPriority : 0);
        return 0;
    }

    /** sched_setscheduler(2) */
    static long schedSetscheduler(Task t, SyscallArgs a) {
        int policy = (int) a.a1;
        if (policy < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return setScheduler(t, (int) a.a0, policy, a.a2);
    }

    /** sched_setparam(2): the priority within the current policy. */
    static long schedSetparam(Task t, SyscallArgs a) {
        return setScheduler(t, (int) a.a0, -1, a.a1);
    }

    /** do_sched_setscheduler and __sched_setscheduler with Linux's argument and permission checks. */
    private static long setScheduler(Task t, int pid, int policy, long paramAddr) {
        if (paramAddr == 0 || pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int prio = t.mm().readInt(paramAddr);
        Task p = Tasks.byTid(t, pid);
        TaskSettings s = p.settings;
        boolean resetOnFork;
        if (policy == -1) {
            policy = s.policy;
            resetOnFork = s.resetOnFork;
        } else {
            resetOnFork = (policy & SCHED_RESET_ON_FORK) != 0;
            policy &= ~SCHED_RESET_ON_FORK;
            if (!validPolicy(policy)) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
        // sched_priority is unsigned in the kernel: a negative one is above MAX_RT_PRIO - 1
        if (prio < 0 || prio > MAX_RT_PRIO - 1 || policy == SCHED_DEADLINE || rtPolicy(policy) != (prio != 0)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (needsPrivilege(t, p, policy, prio, resetOnFork)
                && !t.threadGroup().creds.hasCap(Capabilities.CAP_SYS_NICE)) {
            throw new SyscallException(Errno.EPERM);
        }
        s.policy = policy;
        s.rtPriority = rtPolicy(policy) ? prio : 0;
        s.resetOnFork = resetOnFork;
        // Real-time tasks have no timer slack (Linux 6.7+ __setscheduler_params)
        if (rtPolicy(policy)) {
            s.timerSlackNs = 0;
        } else if (s.timerSlackNs == 0) {
            s.timerSlackNs = s.defaultTimerSlackNs;
        }
        return 0;
    }

    /** user_check_sched_setscheduler: what an unprivileged caller may not do. */
    private static boolean needsPrivilege(Task t, Task p, int policy, int prio, boolean resetOnFork) {
        TaskSettings s = p.settings;
        if (rtPolicy(policy)) {
            long rlimRtprio = p.threadGroup().limits.soft[Limits.RLIMIT_RTPRIO];
            if (policy != s.policy && rlimRtprio == 0) {
                return true;
            }
            if (prio > s.rtPriority && Long.compareUnsigned(prio, rlimRtprio) > 0) {
                return true;
            }
        }
        if (s.policy == SCHED_IDLE && policy != SCHED_IDLE && !isNiceReduction(p, s.nice)) {
            return true;
        }
        if (!sameOwner(t, p)) {
            return true;
        }
        return s.resetOnFork && !resetOnFork;
    }

    /** Whether RLIMIT_NICE allows {@code nice} (nice_to_rlimit(nice) = 20 - nice). */
    private static boolean isNiceReduction(Task p, int nice) {
        return Long.compareUnsigned(20 - nice, p.threadGroup().limits.soft[Limits.RLIMIT_NICE]) <= 0;
    }

    /** sched_get_priority_max(2) */
    static long schedGetPriorityMax(Task t, SyscallArgs a) {
        int policy = (int) a.a0;
        if (rtPolicy(policy)) {
            return MAX_RT_PRIO - 1;
        }
        if (validPolicy(policy)) {
            return 0;
        }
        throw new SyscallException(Errno.EINVAL);
    }

    /** sched_get_priority_min(2) */
    static long schedGetPriorityMin(Task t, SyscallArgs a) {
        int policy = (int) a.a0;
        if (rtPolicy(policy)) {
            return 1;
        }
        if (validPolicy(policy)) {
            return 0;
        }
        throw new SyscallException(Errno.EINVAL);
    }

    /**
     * sched_rr_get_interval(2): SCHED_RR's 100 ms slice, 0 (infinite) for SCHED_FIFO, and for the
     * fair policies the base slice (0.75 ms scaled by 1 + log2 of the CPU count, at most 8) in whole
     * scheduler ticks, as Linux's get_rr_interval_fair reports it.
     */
    static long schedRrGetInterval(Task t, SyscallArgs a) {
        int pid = (int) a.a0;
        if (pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        TaskSettings s = Tasks.byTid(t, pid).settings;
        long ns;
        if (s.policy == SCHED_RR) {
            ns = RR_TIMESLICE_NS;
        } else if (s.policy == SCHED_FIFO) {
            ns = 0;
        } else {
            int cpus = Math.min(CpuSet.count(), 8);
            long slice = 750_000L * (1 + (31 - Integer.numberOfLeadingZeros(cpus)));
            ns = slice / TICK_NS * TICK_NS;
        }
        t.mm().writeLong(a.a1, ns / 1_000_000_000L);
        t.mm().writeLong(a.a1 + 8, ns % 1_000_000_000L);
        return 0;
    }

    // ---- nice values -------------------------------------------------------------------------------------

    /** The threads getpriority/setpriority act on; ESRCH when none. */
    private static List<Task> prioTargets(Task t, int which, int who) {
        if (which < PRIO_PROCESS || which > PRIO_USER) {
            throw new SyscallException(Errno.EINVAL);
        }
        List<Task> out = new ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> out.add(Tasks.byTid(t, who));
            case PRIO_PGRP -> {
                int pgrp = who == 0 ? t.threadGroup().pgid : who;
                for (Task o : t.kernel.tasks()) {
                    if (o.threadGroup().pgid == pgrp && !o.exited()) {
                        out.add(o);
                    }
                }
            }
            default -> {
                int uid = who == 0 ? t.threadGroup().creds.uid : who;
                for (Task o : t.kernel.tasks()) {
                    if (o.threadGroup().creds.uid == uid && !o.exited()) {
                        out.add(o);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new SyscallException(Errno.ESRCH);
        }
        return out;
    }

    /** getpriority(2): the highest priority among the targets, as 20 - nice (1..40), never negative. */
    static long getpriority(Task t, SyscallArgs a) {
        long best = 0;
        for (Task o : prioTargets(t, (int) a.a0, (int) a.a1)) {
            best = Math.max(best, 20 - o.settings.nice);
        }
        return best;
    }

    /**
     * setpriority(2): nice is clamped to -20..19. Another user's task needs CAP_SYS_NICE (EPERM);
     * lowering the nice value beyond RLIMIT_NICE needs CAP_SYS_NICE (EACCES).
     */
    static long setpriority(Task t, SyscallArgs a) {
        int nice = Math.max(-20, Math.min(19, (int) a.a2));
        Credentials c = t.threadGroup().creds;
        int error = -Errno.ESRCH;
        for (Task p : prioTargets(t, (int) a.a0, (int) a.a1)) {
            Credentials pc = p.threadGroup().creds;
            boolean capNice = c.hasCap(Capabilities.CAP_SYS_NICE);
            if (pc.uid != c.euid && pc.euid != c.euid && !capNice) {
                error = -Errno.EPERM;
                continue;
            }
            if (nice < p.settings.nice && !isNiceReduction(p, nice) && !capNice) {
                error = -Errno.EACCES;
                continue;
            }
            if ((pc.capPermitted & ~c.capPermitted) != 0 && !capNice) {
                error = -Errno.EPERM;
                continue;
            }
            if (error == -Errno.ESRCH) {
                error = 0;
            }
            p.settings.nice = nice;
        }
        return error;
    }
}
