package dev.jvisor.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Sending signals as Linux does: to one thread or to a whole process, with the rules that act at
 * send time (SIGKILL ends the process at once, SIGCONT resumes a stopped one and drops pending
 * stops, a stop signal drops a pending SIGCONT, an ignored signal is discarded) and the choice of a
 * thread that does not block a process-directed signal. State changes happen under the kernel lock;
 * the chosen tasks are woken after it is released.
 */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
            SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGSYS = 31;
    /** Signals that can be neither caught, blocked nor ignored. */
    public static final long UNBLOCKABLE = PendingSignals.bit(SIGKILL) | PendingSignals.bit(SIGSTOP);
    static final long STOP_SIGNALS = PendingSignals.bit(SIGSTOP) | PendingSignals.bit(SIGTSTP)
            | PendingSignals.bit(SIGTTIN) | PendingSignals.bit(SIGTTOU);
    static final int SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000,
            SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

    /** Whether the process would discard {@code sig} right away (ignored, or default-ignored). */
    private static boolean ignored(ThreadGroup tg, int sig) {
        long h = tg.signalActions.handler[sig];
        if (h == SignalActions.SIG_IGN) {
            return true;
        }
        return h == SignalActions.SIG_DFL && SignalActions.defaultAction(sig) == SignalActions.Default.IGNORE;
    }

    /** A signal to one thread (tkill, tgkill, faults, timers aimed at a thread). */
    public static void sendToTask(Task t, SigInfo info) {
        List<Object> wake = new ArrayList<>();
        synchronized (t.kernel) {
            ThreadGroup tg = t.threadGroup();
            int sig = info.signo();
            if (!prepare(tg, sig, wake) || t.exited()) {
                kickAll(wake);
                return;
            }
            if (ignored(tg, sig) && (t.signalMask & PendingSignals.bit(sig)) == 0) {
                kickAll(wake);
                return;
            }
            t.pending.add(info);
            wake.add(tg.signalWaiters());
            if ((t.signalMask & PendingSignals.bit(sig)) == 0) {
                wake.add(t);
            }
        }
        kickAll(wake);
    }

    /** A signal to a process (kill, a child's SIGCHLD, a timer): any thread not blocking it takes it. */
    public static void sendToGroup(ThreadGroup tg, SigInfo info) {
        List<Object> wake = new ArrayList<>();
        synchronized (tg.kernel) {
            int sig = info.signo();
            if (!prepare(tg, sig, wake) || tg.zombie || tg.tasks.isEmpty()) {
                kickAll(wake);
                return;
            }
            if (ignored(tg, sig) && tg.tasks.stream().noneMatch(t -> (t.signalMask & PendingSignals.bit(sig)) != 0)) {
                kickAll(wake);
                return;
            }
            tg.sharedPending.add(info);
            wake.add(tg.signalWaiters());
            for (Task t : tg.tasks) {
                if ((t.signalMask & PendingSignals.bit(sig)) == 0) {
                    wake.add(t);
                    break;
                }
            }
        }
        kickAll(wake);
    }

    /**
     * The send-time rules; false if the signal is consumed here (SIGKILL). Adds tasks to wake.
     * Called with the kernel lock held.
     */
    private static boolean prepare(ThreadGroup tg, int sig, List<Object> wake) {
        if (tg.exiting) {
            return false;
        }
        if (sig == SIGKILL) {
            tg.exiting = true;
            tg.exitStatus = ExitStatus.killed(SIGKILL);
            tg.stopped = false;
            wake.addAll(tg.tasks);
            return false;
        }
        if (sig == SIGCONT) {
            tg.sharedPending.discard(STOP_SIGNALS);
            for (Task t : tg.tasks) {
                t.pending.discard(STOP_SIGNALS);
            }
            if (tg.stopped) {
                tg.stopped = false;
                tg.unreportedStop = 0;
                tg.unreportedContinue = true;
                wake.addAll(tg.tasks);
                notifyParent(tg, SigInfo.CLD_CONTINUED, SIGCONT, wake);
            }
        } else if ((STOP_SIGNALS & PendingSignals.bit(sig)) != 0) {
            tg.sharedPending.discard(PendingSignals.bit(SIGCONT));
            for (Task t : tg.tasks) {
                t.pending.discard(PendingSignals.bit(SIGCONT));
            }
        }
        return true;
    }

    /**
     * Tells the parent that {@code tg} stopped, continued or ended: SIGCHLD (or the exit signal) unless
     * the parent asked not to hear of stops, and a wake-up for its waiters. Kernel lock held.
     */
    static void notifyParent(ThreadGroup tg, int why, int status, List<Object> wake) {
        ThreadGroup p = tg.parent;
        if (p == null || p.zombie) {
            return;
        }
        wake.add(p.childWaiters());
        int sig = why == SigInfo.CLD_EXITED || why == SigInfo.CLD_KILLED || why == SigInfo.CLD_DUMPED ? tg.exitSignal : SIGCHLD;
        if (sig == 0) {
            return;
        }
        if (sig == SIGCHLD && why >= SigInfo.CLD_TRAPPED
                && (p.signalActions.flags[SIGCHLD] & SA_NOCLDSTOP) != 0) {
            return;
        }
        if (ignored(p, sig) && p.tasks.stream().noneMatch(t -> (t.signalMask & PendingSignals.bit(sig)) != 0)) {
            return;
        }
        int uid = tg.creds.uid;
        p.sharedPending.add(SigInfo.child(sig, why, tg.tgid, uid, status, 0, 0));
        wake.add(p.signalWaiters());
        for (Task t : p.tasks) {
            if ((t.signalMask & PendingSignals.bit(sig)) == 0) {
                wake.add(t);
                break;
            }
        }
    }

    /** Wakes what a state change under the kernel lock made runnable: tasks (kicked) and wait queues. */
    static void kickAll(List<Object> wake) {
        for (Object o : wake) {
            if (o instanceof Task t) {
                t.kick();
            } else {
                ((dev.jvisor.kernel.vfs.WaitQueue) o).wakeAll();
            }
        }
    }

    /**
     * kill(2)'s targets: pid > 0 one process, 0 the caller's process group, -1 every process but init
     * and the caller, < -1 the process group -pid. Returns 0 or the negated errno.
     */
    public static long kill(Task sender, int pid, int sig) {
        Kernel k = sender.kernel;
        List<ThreadGroup> targets = new ArrayList<>();
        synchronized (k) {
            if (pid > 0) {
                ThreadGroup tg = k.group(pid);
                if (tg == null) {
                    return -Errno.ESRCH;
                }
                targets.add(tg);
            } else {
                int pgid = pid == 0 ? sender.threadGroup().pgid : -pid;
                for (ThreadGroup tg : k.groups()) {
                    if (pid == -1 ? tg.tgid != 1 && tg != sender.threadGroup() : tg.pgid == pgid) {
                        targets.add(tg);
                    }
                }
                if (targets.isEmpty()) {
                    return -Errno.ESRCH;
                }
            }
        }
        if (sig == 0) {
            return 0;
        }
        for (ThreadGroup tg : targets) {
            if (tg.tgid == 1 && sender.threadGroup() != tg && unkillableInit(tg, sig)) {
                continue;
            }
            sendToGroup(tg, SigInfo.fromProcess(sig, SigInfo.SI_USER, sender.threadGroup().tgid,
                    sender.threadGroup().creds.uid));
        }
        return 0;
    }

    /** A namespace's init ignores signals it has no handler for when they come from inside. */
    static boolean unkillableInit(ThreadGroup init, int sig) {
        return init.signalActions.handler[sig] == SignalActions.SIG_DFL;
    }
}
