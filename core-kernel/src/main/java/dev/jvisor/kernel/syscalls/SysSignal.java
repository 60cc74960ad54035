package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SignalActions;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Signal syscalls: dispositions, masks, the alternate stack, and signals a process sends itself. */
final class SysSignal {
    private SysSignal() {}

    private static final int SIGKILL = 9, SIGSTOP = 19;
    private static final long UNBLOCKABLE = (1L << (SIGKILL - 1)) | (1L << (SIGSTOP - 1));
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;

    private static void checkSig(long sig) {
        if (sig < 1 || sig > 64) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** rt_sigaction(2) */
    static long rtSigaction(Task t, SyscallArgs a) {
        if (a.a3 != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        checkSig(a.a0);
        int sig = (int) a.a0;
        if (a.a1 != 0 && (sig == SIGKILL || sig == SIGSTOP)) {
            throw new SyscallException(Errno.EINVAL);
        }
        SignalActions s = t.threadGroup().signalActions;
        long[] act = null;
        if (a.a1 != 0) {
            act = new long[] {t.mm().readLong(a.a1), t.mm().readLong(a.a1 + 8), t.mm().readLong(a.a1 + 16),
                    t.mm().readLong(a.a1 + 24)};
        }
        if (a.a2 != 0) {
            t.mm().writeLong(a.a2, s.handler[sig]);
            t.mm().writeLong(a.a2 + 8, s.flags[sig]);
            t.mm().writeLong(a.a2 + 16, s.restorer[sig]);
            t.mm().writeLong(a.a2 + 24, s.mask[sig]);
        }
        if (act != null) {
            s.handler[sig] = act[0];
            s.flags[sig] = act[1];
            s.restorer[sig] = act[2];
            s.mask[sig] = act[3] & ~UNBLOCKABLE;
        }
        return 0;
    }

    /** rt_sigprocmask(2) */
    static long rtSigprocmask(Task t, SyscallArgs a) {
        if (a.a3 != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        long old = t.signalMask;
        if (a.a1 != 0) {
            long set = t.mm().readLong(a.a1);
            long mask = switch ((int) a.a0) {
                case 0 -> old | set;
                case 1 -> old & ~set;
                case 2 -> set;
                default -> throw new SyscallException(Errno.EINVAL);
            };
            t.signalMask = mask & ~UNBLOCKABLE;
        }
        if (a.a2 != 0) {
            t.mm().writeLong(a.a2, old);
        }
        return 0;
    }

    /** sigaltstack(2) */
    static long sigaltstack(Task t, SyscallArgs a) {
        if (a.a1 != 0) {
            t.mm().writeLong(a.a1, t.altStackSp);
            t.mm().writeInt(a.a1 + 8, t.altStackSize == 0 ? SS_DISABLE : 0);
            t.mm().writeLong(a.a1 + 16, t.altStackSize);
        }
        if (a.a0 != 0) {
            long sp = t.mm().readLong(a.a0);
            int flags = t.mm().readInt(a.a0 + 8);
            long size = t.mm().readLong(a.a0 + 16);
            if ((flags & ~(SS_DISABLE | SS_ONSTACK | (1 << 31))) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            if ((flags & SS_DISABLE) != 0) {
                t.altStackSp = 0;
                t.altStackSize = 0;
            } else {
                if (size < MINSIGSTKSZ) {
                    throw new SyscallException(Errno.ENOMEM);
                }
                t.altStackSp = sp;
                t.altStackSize = size;
            }
        }
        return 0;
    }

    /** kill(2) */
    static long kill(Task t, SyscallArgs a) {
        long pid = (int) a.a0;
        if (pid != 0 && pid != -1 && pid != t.threadGroup().tgid && pid != -t.threadGroup().tgid) {
            throw new SyscallException(Errno.ESRCH);
        }
        return send(t, a.a1);
    }

    /** tkill(2) */
    static long tkill(Task t, SyscallArgs a) {
        if ((int) a.a0 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((int) a.a0 != t.tid) {
            throw new SyscallException(Errno.ESRCH);
        }
        return send(t, a.a1);
    }

    /** tgkill(2) */
    static long tgkill(Task t, SyscallArgs a) {
        if ((int) a.a0 <= 0 || (int) a.a1 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((int) a.a0 != t.threadGroup().tgid || (int) a.a1 != t.tid) {
            throw new SyscallException(Errno.ESRCH);
        }
        return send(t, a.a2);
    }

    private static long send(Task t, long sigArg) {
        if (sigArg == 0) {
            return 0;
        }
        checkSig(sigArg);
        t.raiseSignal((int) sigArg);
        return 0;
    }
}
