package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SigInfo;
import dev.jvisor.kernel.Signals;
import dev.jvisor.kernel.ThreadGroup;
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
            synchronized (t.kernel) {
                setAction(s, sig, act);
            }
        }
        return 0;
    }

    private static void setAction(SignalActions s, int sig, long[] act) {
        s.handler[sig] = act[0];
        s.flags[sig] = act[1];
        s.restorer[sig] = act[2];
        s.mask[sig] = act[3] & ~UNBLOCKABLE;
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
            t.setSignalMask(mask);
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
            t.mm().writeInt(a.a1 + 8, t.altStackSize == 0 ? SS_DISABLE
                    : t.onAltStack(t.context().reg(dev.jvisor.platform.Reg.RSP)) ? SS_ONSTACK : 0);
            t.mm().writeLong(a.a1 + 16, t.altStackSize);
        }
        if (a.a0 != 0) {
            if (t.onAltStack(t.context().reg(dev.jvisor.platform.Reg.RSP))) {
                throw new SyscallException(Errno.EPERM);
            }
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
        int sig = (int) a.a1;
        if (sig != 0) {
            checkSig(sig);
        }
        if ((int) a.a0 == Integer.MIN_VALUE) {
            throw new SyscallException(Errno.ESRCH);
        }
        return Signals.kill(t, (int) a.a0, sig);
    }

    private static Task thread(Task t, int tgid, int tid) {
        Task target = t.kernel.task(tid);
        if (target == null || target.exited() || tgid > 0 && target.threadGroup().tgid != tgid) {
            throw new SyscallException(Errno.ESRCH);
        }
        return target;
    }

    private static long sendToThread(Task t, Task target, int sig) {
        if (sig != 0) {
            Signals.sendToTask(target, SigInfo.fromProcess(sig, SigInfo.SI_TKILL, t.threadGroup().tgid,
                    t.threadGroup().creds.uid));
        }
        return 0;
    }

    /** tkill(2) */
    static long tkill(Task t, SyscallArgs a) {
        if ((int) a.a0 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int sig = (int) a.a1;
        if (sig != 0) {
            checkSig(sig);
        }
        return sendToThread(t, thread(t, 0, (int) a.a0), sig);
    }

    /** tgkill(2) */
    static long tgkill(Task t, SyscallArgs a) {
        if ((int) a.a0 <= 0 || (int) a.a1 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int sig = (int) a.a2;
        if (sig != 0) {
            checkSig(sig);
        }
        return sendToThread(t, thread(t, (int) a.a0, (int) a.a1), sig);
    }

    private static SigInfo queuedInfo(Task t, int sig, long addr) {
        byte[] b = t.mm().read(addr, SigInfo.SIZE);
        int code = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8);
        // Only the kernel may claim to be the kernel (or a tkill): Linux refuses si_code >= 0 and SI_TKILL.
        if (code >= 0 || code == SigInfo.SI_TKILL) {
            throw new SyscallException(Errno.EPERM);
        }
        return SigInfo.fromApp(sig, b);
    }

    /** rt_sigqueueinfo(2) */
    static long rtSigqueueinfo(Task t, SyscallArgs a) {
        int sig = (int) a.a1;
        checkSig(sig);
        SigInfo info = queuedInfo(t, sig, a.a2);
        ThreadGroup tg = t.kernel.group((int) a.a0);
        if (tg == null) {
            throw new SyscallException(Errno.ESRCH);
        }
        Signals.sendToGroup(tg, info);
        return 0;
    }

    /** rt_tgsigqueueinfo(2) */
    static long rtTgsigqueueinfo(Task t, SyscallArgs a) {
        int sig = (int) a.a2;
        checkSig(sig);
        SigInfo info = queuedInfo(t, sig, a.a3);
        Signals.sendToTask(thread(t, (int) a.a0, (int) a.a1), info);
        return 0;
    }

    /** rt_sigpending(2) */
    static long rtSigpending(Task t, SyscallArgs a) {
        if (a.a1 > 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        t.mm().writeLong(a.a0, t.pendingMask() & t.signalMask);
        return 0;
    }

    /** rt_sigreturn(2): the registers come from the signal frame. */
    static long rtSigreturn(Task t, SyscallArgs a) {
        t.sigreturn();
        return 0;
    }

    /** Sleeps with {@code mask} until a signal is delivered (sigsuspend, pause). */
    private static long suspend(Task t, long mask) {
        t.savedMask = t.signalMask;
        t.hasSavedMask = true;
        t.setSignalMask(mask);
        while (!t.signalPending()) {
            if (!t.sleepUntil(Long.MAX_VALUE)) {
                break;
            }
        }
        return -Errno.ERESTARTNOHAND;
    }

    /** rt_sigsuspend(2) */
    static long rtSigsuspend(Task t, SyscallArgs a) {
        if (a.a1 != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        return suspend(t, t.mm().readLong(a.a0));
    }

    /** pause(2) */
    static long pause(Task t, SyscallArgs a) {
        while (!t.signalPending()) {
            if (!t.sleepUntil(Long.MAX_VALUE)) {
                break;
            }
        }
        return -Errno.ERESTARTNOHAND;
    }

    /** rt_sigtimedwait(2): takes a pending signal of the set, waiting up to the timeout. */
    static long rtSigtimedwait(Task t, SyscallArgs a) {
        if (a.a3 != 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        long set = t.mm().readLong(a.a0) & ~Signals.UNBLOCKABLE;
        long deadline = Long.MAX_VALUE;
        if (a.a2 != 0) {
            long sec = t.mm().readLong(a.a2), nsec = t.mm().readLong(a.a2 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                throw new SyscallException(Errno.EINVAL);
            }
            deadline = t.kernel.clock().now() + Math.min(sec, Long.MAX_VALUE / 2_000_000_000L) * 1_000_000_000L + nsec;
        }
        while (true) {
            SigInfo info = t.takeSignal(set);
            if (info != null) {
                if (a.a1 != 0) {
                    byte[] b = info.bytes();
                    t.mm().copyOut(a.a1, b, 0, b.length);
                }
                return info.signo();
            }
            if (t.kernel.clock().now() >= deadline) {
                return -Errno.EAGAIN;
            }
            // Wait for any signal: the blocked ones of the set arrive pending, and wake us only if
            // temporarily unblocked, as Linux does for the duration of the wait.
            long old = t.signalMask;
            t.setSignalMask(old & ~set);
            boolean slept;
            try {
                if (t.signalPending()) {
                    slept = true;
                } else {
                    slept = t.sleepUntil(Math.min(deadline, t.kernel.clock().now() + 100_000_000L));
                }
            } finally {
                t.setSignalMask(old);
            }
            if (!slept && t.takeSignalPeek(set) == 0) {
                return -Errno.ERESTARTSYS;
            }
        }
    }

    private static final int SFD_CLOEXEC = 02000000, SFD_NONBLOCK = 04000;

    /** signalfd(2) */
    static long signalfd(Task t, SyscallArgs a) {
        return makeSignalfd(t, (int) a.a0, a.a1, a.a2, 0);
    }

    /** signalfd4(2) */
    static long signalfd4(Task t, SyscallArgs a) {
        return makeSignalfd(t, (int) a.a0, a.a1, a.a2, (int) a.a3);
    }

    private static long makeSignalfd(Task t, int fd, long maskAddr, long size, int flags) {
        if (size != 8 || (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long mask = t.mm().readLong(maskAddr) & ~Signals.UNBLOCKABLE;
        if (fd != -1) {
            if (!(t.fds().get(fd) instanceof dev.jvisor.kernel.fs.signalfd.SignalFdFile s)) {
                throw new SyscallException(Errno.EINVAL);
            }
            s.setMask(mask);
            return fd;
        }
        var f = new dev.jvisor.kernel.fs.signalfd.SignalFdFile(t, mask, 2 /* O_RDWR */ | (flags & SFD_NONBLOCK));
        return t.fds().install(f, 0, (flags & SFD_CLOEXEC) != 0, t.threadGroup().limits.soft[dev.jvisor.kernel.Limits.RLIMIT_NOFILE]);
    }
}
