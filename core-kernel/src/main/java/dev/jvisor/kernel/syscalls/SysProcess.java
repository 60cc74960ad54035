package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Process and thread syscalls: identity, exit, limits, thread-local state, scheduling. */
final class SysProcess {
    private SysProcess() {}

    private static final int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004,
            ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;

    static long getpid(Task t, SyscallArgs a) {
        return t.threadGroup().tgid;
    }

    static long gettid(Task t, SyscallArgs a) {
        return t.tid;
    }

    static long getuid(Task t, SyscallArgs a) {
        return t.threadGroup().creds.uid;
    }

    static long geteuid(Task t, SyscallArgs a) {
        return t.threadGroup().creds.euid;
    }

    static long getgid(Task t, SyscallArgs a) {
        return t.threadGroup().creds.gid;
    }

    static long getegid(Task t, SyscallArgs a) {
        return t.threadGroup().creds.egid;
    }

    /** exit(2) */
    static long exit(Task t, SyscallArgs a) {
        t.exitThread((int) a.a0);
        return 0;
    }

    /** exit_group(2) */
    static long exitGroup(Task t, SyscallArgs a) {
        t.exitGroup(ExitStatus.exited((int) a.a0));
        return 0;
    }

    /** set_tid_address(2) */
    static long setTidAddress(Task t, SyscallArgs a) {
        t.clearChildTid = a.a0;
        return t.tid;
    }

    /** set_robust_list(2) */
    static long setRobustList(Task t, SyscallArgs a) {
        if (a.a1 != 24) {
            throw new SyscallException(Errno.EINVAL);
        }
        t.robustList = a.a0;
        return 0;
    }

    /** rseq(2): not provided; glibc then manages without it. */
    static long rseq(Task t, SyscallArgs a) {
        return -Errno.ENOSYS;
    }

    /** arch_prctl(2) */
    static long archPrctl(Task t, SyscallArgs a) {
        switch ((int) a.a0) {
            case ARCH_SET_FS -> {
                if (a.a1 >= t.mm().maxAddr() || a.a1 < 0) {
                    throw new SyscallException(Errno.EPERM);
                }
                t.context().setFsBase(a.a1);
                return 0;
            }
            case ARCH_GET_FS -> {
                t.mm().writeLong(a.a1, t.context().fsBase());
                return 0;
            }
            case ARCH_GET_CPUID -> {
                return 1;
            }
            case ARCH_SET_CPUID -> {
                // CPUID faulting is the Sentry's own tool; apps cannot turn it on.
                throw new SyscallException(Errno.ENODEV);
            }
            case ARCH_SET_GS, ARCH_GET_GS -> throw new SyscallException(Errno.EINVAL);
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }

    private static void checkResource(long resource) {
        if (resource < 0 || resource >= Limits.NLIMITS) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** getrlimit(2) */
    static long getrlimit(Task t, SyscallArgs a) {
        checkResource(a.a0);
        Limits l = t.threadGroup().limits;
        t.mm().writeLong(a.a1, l.soft[(int) a.a0]);
        t.mm().writeLong(a.a1 + 8, l.hard[(int) a.a0]);
        return 0;
    }

    /** setrlimit(2) */
    static long setrlimit(Task t, SyscallArgs a) {
        checkResource(a.a0);
        setLimit(t, (int) a.a0, a.a1);
        return 0;
    }

    private static void setLimit(Task t, int resource, long addr) {
        long soft = t.mm().readLong(addr);
        long hard = t.mm().readLong(addr + 8);
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (resource == Limits.RLIMIT_NOFILE && Long.compareUnsigned(hard, 1L << 20) > 0) {
            throw new SyscallException(Errno.EPERM);
        }
        t.threadGroup().limits.set(resource, soft, hard);
    }

    /** prlimit64(2) */
    static long prlimit64(Task t, SyscallArgs a) {
        if (a.a0 != 0 && a.a0 != t.threadGroup().tgid) {
            throw new SyscallException(Errno.ESRCH);
        }
        checkResource(a.a1);
        int r = (int) a.a1;
        Limits l = t.threadGroup().limits;
        long oldSoft = l.soft[r], oldHard = l.hard[r];
        if (a.a2 != 0) {
            setLimit(t, r, a.a2);
        }
        if (a.a3 != 0) {
            t.mm().writeLong(a.a3, oldSoft);
            t.mm().writeLong(a.a3 + 8, oldHard);
        }
        return 0;
    }

    /** sched_yield(2) */
    static long schedYield(Task t, SyscallArgs a) {
        Thread.yield();
        return 0;
    }

    /** sched_getaffinity(2): every CPU the sandbox has. */
    static long schedGetaffinity(Task t, SyscallArgs a) {
        if (a.a0 != 0 && a.a0 != t.tid) {
            throw new SyscallException(Errno.ESRCH);
        }
        long size = a.a1;
        if (size < 8 || (size & 7) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int cpus = Math.min(64, Runtime.getRuntime().availableProcessors());
        t.mm().writeLong(a.a2, cpus == 64 ? -1L : (1L << cpus) - 1);
        return 8;
    }

    /** getcpu(2) */
    static long getcpu(Task t, SyscallArgs a) {
        if (a.a0 != 0) {
            t.mm().writeInt(a.a0, 0);
        }
        if (a.a1 != 0) {
            t.mm().writeInt(a.a1, 0);
        }
        return 0;
    }
}
