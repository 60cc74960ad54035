package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Process and thread syscalls: ids, exit, thread-local state. */
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
}
