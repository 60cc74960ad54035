package dev.jvisor.kernel;

import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.syscalls.SyscallArgs;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.Reg;
import dev.jvisor.platform.StopReason;
import java.util.ArrayList;
import java.util.List;

/**
 * A thread of the sandbox. It runs on its own Java thread: switch to app code, handle the syscall,
 * fault or interrupt that brought it back, deliver pending signals, repeat. Between two switches it
 * is at a clean kernel boundary, which is where checkpoints catch it: then its registers are copied
 * into {@link #cpu} and nothing of it lives on a Java stack.
 */
public final class Task {
    private static final long NR_RESTART_SYSCALL = 219;

    public final Kernel kernel;
    public final int tid;
    private ThreadGroup tg;
    private MemoryManager mm;
    private FdTable fds;
    private FsContext fsContext;
    /** Registers as of the last checkpoint (or the initial image); live registers are in the context. */
    final CpuState cpu = new CpuState();
    public long clearChildTid;
    public long robustList;
    /** Blocked signals. Written only by the task itself; read by senders under the kernel lock. */
    public volatile long signalMask;
    /** The mask to put back once a signal interrupts sigsuspend/ppoll/pselect (valid if hasSavedMask). */
    public long savedMask;
    public boolean hasSavedMask;
    public final PendingSignals pending = new PendingSignals();
    public long altStackSp;
    public long altStackSize;
    /** Signal sent to this thread when its parent process ends (prctl PR_SET_PDEATHSIG). */
    public int pdeathSignal;
    /** What restart_syscall(2) resumes: a blocking call interrupted by a checkpoint or signal. */
    public RestartBlock restart;
    /** A vfork parent waiting for this child to exec or exit. */
    Task vforkParent;
    volatile boolean vforkDone;
    /** The vfork child this task waits for (until it execs or exits) before it runs on. */
    Task vforkChild;
    /** Name, nice, scheduling, affinity, prctl settings of this thread (clone: settings.forChild). */
    public TaskSettings settings = new TaskSettings();
    private volatile boolean exited;

    private transient Context ctx;
    private transient SyscallArgs args;
    private transient volatile boolean kicked;
    /** Set by rt_sigreturn and execve: the registers are already what the app must see. */
    private transient boolean keepRegisters;
    /** After a restore: other tasks of this address space, whose host threads this task's thread makes. */
    private transient List<Task> siblingsToStart;

    public Task(Kernel kernel, int tid, ThreadGroup tg, MemoryManager mm, FdTable fds) {
        this.kernel = kernel;
        this.tid = tid;
        this.tg = tg;
        this.mm = mm;
        this.fds = fds;
    }

    public ThreadGroup threadGroup() {
        return tg;
    }

    public MemoryManager mm() {
        return mm;
    }

    void setMm(MemoryManager mm) {
        this.mm = mm;
    }

    public FdTable fds() {
        return fds;
    }

    void setFds(FdTable fds) {
        this.fds = fds;
    }

    public FsContext fsContext() {
        return fsContext;
    }

    public void setFsContext(FsContext fs) {
        this.fsContext = fs;
    }

    public Context context() {
        return ctx;
    }

    public CpuState cpu() {
        return cpu;
    }

    public boolean exited() {
        return exited;
    }

    /** Sets the blocked mask; SIGKILL and SIGSTOP can never be blocked. */
    public void setSignalMask(long mask) {
        signalMask = mask & ~Signals.UNBLOCKABLE;
    }

    /** The registers the syscall handler left are final (rt_sigreturn, execve): no result is stored. */
    public void keepRegisters() {
        keepRegisters = true;
    }

    /** Binds the task to a host thread context and loads its saved registers (start or restore). */
    void attach(Context context) {
        this.ctx = context;
        this.args = new SyscallArgs();
        context.load(cpu);
    }

    void addSiblingToStart(Task t) {
        if (siblingsToStart == null) {
            siblingsToStart = new ArrayList<>();
        }
        siblingsToStart.add(t);
    }

    /** The task's main loop, on its own Java thread. */
    void run() {
        KernelRuntime rt = kernel.runtime();
        try {
            if (siblingsToStart != null) {
                for (Task s : siblingsToStart) {
                    s.attach(ctx.newThread());
                    rt.startThread(s);
                }
                siblingsToStart = null;
            }
            if (tg.isStopped()) {
                waitWhileStopped(); // restored while stopped (SIGSTOP): stays so until SIGCONT
            }
            handleSignals(0, 0);
            while (!exited) {
                if (rt.freezing()) {
                    ctx.save(cpu);
                    rt.parkWhileFrozen(this);
                    if (rt.destroying()) {
                        return;
                    }
                    ctx.load(cpu);
                }
                if (vforkChild != null) {
                    awaitVforkChild();
                    continue;
                }
                if (kicked) {
                    kicked = false; // a volatile write is a full fence: skip it on the common path
                    handleSignals(0, 0);
                    continue;
                }
                StopReason why = ctx.switchToApp();
                switch (why) {
                    case SYSCALL -> syscall(rt);
                    case FAULT -> fault();
                    case INTERRUPT -> { }
                }
                if (mm.hasDeferredFrees()) {
                    // Other threads may run on with mappings of freed pages until the changes apply.
                    mm.host().flush(ctx);
                    mm.releaseDeferred();
                }
            }
        } catch (PlatformException e) {
            if (!exited && !tg.exiting) {
                rt.fail("task " + tid + ": " + e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            rt.fail("task " + tid + ": internal error: " + e + where(e), e);
        } finally {
            if (!rt.destroying()) {
                try {
                    Processes.threadExited(this);
                } catch (RuntimeException e) {
                    rt.fail("task " + tid + ": internal error at exit: " + e, e);
                }
            }
            rt.taskDone(this);
        }
    }

    /** Where in jvisor an internal error was thrown, so the one-line report can be acted on. */
    static String where(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith("dev.jvisor.")) {
                return " at " + f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                        + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
            }
        }
        return "";
    }

    private void syscall(KernelRuntime rt) {
        Context c = ctx;
        long nr = c.syscallNumber();
        SyscallArgs a = args;
        a.nr = nr;
        a.a0 = c.syscallArg(0);
        a.a1 = c.syscallArg(1);
        a.a2 = c.syscallArg(2);
        a.a3 = c.syscallArg(3);
        a.a4 = c.syscallArg(4);
        a.a5 = c.syscallArg(5);
        long r = rt.syscalls().dispatch(this, a);
        if (exited) {
            return;
        }
        if (keepRegisters) {
            keepRegisters = false;
            if (kicked || hasSavedMask || ((pending.mask() | tg.sharedPending.mask()) & ~signalMask) != 0) {
                handleSignals(0, 0);
            }
            return;
        }
        if (r <= -Errno.ERESTARTSYS && r >= -Errno.ERESTART_RESTARTBLOCK) {
            handleSignals((int) -r, nr);
            return;
        }
        c.setSyscallResult(r);
        if (kicked || hasSavedMask || ((pending.mask() | tg.sharedPending.mask()) & ~signalMask) != 0) {
            handleSignals(0, 0);
        }
    }

    private void fault() {
        int sig = ctx.faultSignal();
        if (sig == Signals.SIGSEGV) {
            long err = ctx.trapError();
            long trap = ctx.trapNumber();
            if (trap == 14) { // page fault
                boolean write = (err & 2) != 0;
                boolean exec = (err & 16) != 0;
                int code;
                try {
                    code = mm.handleFault(ctx.faultAddress(), write, exec);
                } catch (SyscallException e) {
                    if (e.errno == Errno.ENOMEM) {
                        // As Linux's OOM killer does: the process dies of SIGKILL, the sandbox lives on.
                        kernel.runtime().warn("out of sandbox memory (--total-memory): process " + tg.tgid + " killed");
                        exitGroupBySignal(Signals.SIGKILL);
                        return;
                    }
                    // The page's file could not be read (EIO from a failed gofer): SIGBUS, as on Linux.
                    code = MemoryManager.FAULT_PAST_EOF;
                }
                if (code == 0) {
                    return;
                }
                if (code == MemoryManager.FAULT_PAST_EOF) {
                    forceSignal(SigInfo.fault(Signals.SIGBUS, SigInfo.BUS_ADRERR, ctx.faultAddress()));
                    handleSignals(0, 0);
                    return;
                }
                forceSignal(SigInfo.fault(sig, code, ctx.faultAddress()));
                handleSignals(0, 0);
                return;
            } else if (kernel.runtime().cpuid().emulate(this)) {
                return;
            }
        }
        int code = ctx.faultCode();
        forceSignal(SigInfo.fault(sig, code > 0 ? code : SigInfo.SI_KERNEL, ctx.faultAddress()));
        handleSignals(0, 0);
    }

    /**
     * A synchronous signal the task cannot refuse (Linux's force_sig_info): if it is blocked or
     * ignored, the default action is restored and it is unblocked, so a fault never loops.
     */
    void forceSignal(SigInfo info) {
        int sig = info.signo();
        synchronized (kernel) {
            SignalActions s = tg.signalActions;
            boolean blocked = (signalMask & PendingSignals.bit(sig)) != 0;
            if (blocked || s.handler[sig] == SignalActions.SIG_IGN) {
                s.handler[sig] = SignalActions.SIG_DFL;
                signalMask &= ~PendingSignals.bit(sig);
            }
            pending.add(info);
        }
    }

    // ---- signal delivery ---------------------------------------------------------------------------

    /**
     * Delivers pending unblocked signals at a kernel boundary: default actions, or a handler frame
     * on the app's stack. {@code restartErrno} is the ERESTART* code of an interrupted syscall
     * {@code nr}, which is then restarted or fails with EINTR as Linux decides.
     */
    private void handleSignals(int restartErrno, long nr) {
        boolean handlerRan = false;
        while (!exited) {
            Delivery d = dequeue();
            if (d == null) {
                break;
            }
            if (d.stop) {
                groupStop(d.info.signo());
                continue;
            }
            if (d.fatal) {
                exitGroupBySignal(d.info.signo());
                return;
            }
            if (!handlerRan) {
                applyRestart(restartErrno, nr, (d.flags & Signals.SA_RESTART) != 0, true);
                restartErrno = 0;
            }
            long oldMask = hasSavedMask ? savedMask : signalMask;
            hasSavedMask = false;
            long faultAddr = d.info.code() > 0 && (PendingSignals.SYNCHRONOUS & PendingSignals.bit(d.info.signo())) != 0 ? d.info.addr() : 0;
            if (!SignalFrame.setup(this, d.info, d.handler, d.flags, d.restorer, oldMask, faultAddr)) {
                forceSegv(d.info.signo());
                continue;
            }
            long mask = signalMask | d.mask;
            if ((d.flags & Signals.SA_NODEFER) == 0) {
                mask |= PendingSignals.bit(d.info.signo());
            }
            setSignalMask(mask);
            handlerRan = true;
        }
        if (restartErrno != 0) {
            applyRestart(restartErrno, nr, false, false);
        }
        if (hasSavedMask && !handlerRan) {
            setSignalMask(savedMask);
            hasSavedMask = false;
        }
    }

    /** A bad signal stack: the process dies of SIGSEGV (Linux's force_sigsegv). */
    private void forceSegv(int sig) {
        synchronized (kernel) {
            if (sig == Signals.SIGSEGV) {
                tg.signalActions.handler[Signals.SIGSEGV] = SignalActions.SIG_DFL;
            }
        }
        forceSignal(SigInfo.of(Signals.SIGSEGV, SigInfo.SI_KERNEL));
    }

    /** Restart or EINTR for an interrupted syscall, before a handler frame is built (or with none). */
    private void applyRestart(int errno, long nr, boolean saRestart, boolean handler) {
        if (errno == 0) {
            return;
        }
        boolean restartIt = switch (errno) {
            case Errno.ERESTARTNOINTR -> true;
            case Errno.ERESTARTSYS -> !handler || saRestart;
            default -> !handler; // ERESTARTNOHAND, ERESTART_RESTARTBLOCK
        };
        Context c = ctx;
        if (restartIt) {
            c.setReg(Reg.RIP, c.reg(Reg.RIP) - 2);
            c.setReg(Reg.RAX, errno == Errno.ERESTART_RESTARTBLOCK ? NR_RESTART_SYSCALL : nr);
        } else {
            c.setReg(Reg.RAX, -Errno.EINTR);
        }
    }

    /** What to do with one dequeued signal. */
    private record Delivery(SigInfo info, long handler, long flags, long restorer, long mask, boolean stop,
            boolean fatal) {}

    private Delivery dequeue() {
        synchronized (kernel) {
            while (true) {
                if (tg.exiting) {
                    exited = true;
                    return null;
                }
                long allowed = ~signalMask;
                PendingSignals from = pending;
                int sig = pending.next(allowed);
                if (sig == 0) {
                    sig = tg.sharedPending.next(allowed);
                    from = tg.sharedPending;
                }
                if (sig == 0) {
                    return null;
                }
                SigInfo info = ProcessTimers.dequeued(this, from, from.take(sig));
                if (info == null) {
                    continue; // a stale timer signal
                }
                SignalActions s = tg.signalActions;
                long h = s.handler[sig];
                if (h == SignalActions.SIG_IGN) {
                    continue;
                }
                if (h == SignalActions.SIG_DFL) {
                    switch (SignalActions.defaultAction(sig)) {
                        case IGNORE, CONTINUE -> {
                            continue;
                        }
                        case STOP -> {
                            return new Delivery(info, 0, 0, 0, 0, true, false);
                        }
                        default -> {
                            return new Delivery(info, 0, 0, 0, 0, false, true);
                        }
                    }
                }
                Delivery d = new Delivery(info, h, s.flags[sig], s.restorer[sig], s.mask[sig], false, false);
                if ((s.flags[sig] & Signals.SA_RESETHAND) != 0) {
                    s.handler[sig] = SignalActions.SIG_DFL;
                    s.flags[sig] &= ~Signals.SA_SIGINFO;
                }
                return d;
            }
        }
    }

    /** Stops the whole process (job control) and waits here until SIGCONT or SIGKILL. */
    private void groupStop(int sig) {
        List<Object> wake = new ArrayList<>();
        synchronized (kernel) {
            if (!tg.stopped && !tg.exiting) {
                tg.stopped = true;
                tg.unreportedStop = sig;
                tg.unreportedContinue = false;
                for (Task o : tg.tasks) {
                    if (o != this) {
                        wake.add(o);
                    }
                }
                Signals.notifyParent(tg, SigInfo.CLD_STOPPED, sig, wake);
            }
        }
        Signals.kickAll(wake);
        waitWhileStopped();
    }

    /** vfork(2): the parent sleeps until the child has exec'd or exited (checkpoints may come meanwhile). */
    private void awaitVforkChild() {
        KernelRuntime rt = kernel.runtime();
        Task child = vforkChild;
        while (!child.vforkDone && !child.exited() && !exited) {
            if (rt.freezing()) {
                ctx.save(cpu);
                rt.parkWhileFrozen(this);
                if (rt.destroying()) {
                    exited = true;
                    return;
                }
                ctx.load(cpu);
            }
            synchronized (this) {
                if (!child.vforkDone && !kicked) {
                    try {
                        wait(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            synchronized (kernel) {
                if (tg.exiting) {
                    exited = true;
                }
            }
        }
        vforkChild = null;
    }

    /** Parks while the process is stopped; a checkpoint may happen meanwhile. */
    private void waitWhileStopped() {
        KernelRuntime rt = kernel.runtime();
        while (true) {
            synchronized (kernel) {
                if (!tg.stopped || tg.exiting) {
                    return;
                }
            }
            if (rt.freezing()) {
                ctx.save(cpu);
                rt.parkWhileFrozen(this);
                if (rt.destroying()) {
                    exited = true;
                    return;
                }
                ctx.load(cpu);
            }
            synchronized (this) {
                if (!kicked) {
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                kicked = false;
            }
        }
    }

    /**
     * Sends signal {@code sig} (1-64) to this thread, as the kernel does for SIGPIPE, SIGXFSZ or
     * tkill(2); it is delivered at the task's next kernel boundary.
     */
    public void raiseSignal(int sig) {
        Signals.sendToTask(this, SigInfo.fromProcess(sig, SigInfo.SI_KERNEL, 0, 0));
    }

    /** Removes and returns a pending signal of {@code set} (thread's first, then the process's), or null. */
    public SigInfo takeSignal(long set) {
        synchronized (kernel) {
            while (true) {
                PendingSignals from = pending;
                int sig = pending.next(set);
                if (sig == 0) {
                    from = tg.sharedPending;
                    sig = from.next(set);
                }
                if (sig == 0) {
                    return null;
                }
                SigInfo info = ProcessTimers.dequeued(this, from, from.take(sig));
                if (info != null) {
                    return info;
                }
            }
        }
    }

    /** The lowest pending signal of {@code set} without taking it; 0 if none. */
    public int takeSignalPeek(long set) {
        synchronized (kernel) {
            int sig = pending.next(set);
            return sig != 0 ? sig : tg.sharedPending.next(set);
        }
    }

    /** The signals pending for this thread: its own and its process's. */
    public long pendingMask() {
        synchronized (kernel) {
            return pending.mask() | tg.sharedPending.mask();
        }
    }

    /** rt_sigreturn(2); false if the frame is bad (the caller kills the process with SIGSEGV). */
    public boolean sigreturn() {
        if (!SignalFrame.restore(this)) {
            forceSegv(Signals.SIGSEGV);
            return false;
        }
        keepRegisters();
        return true;
    }

    /** Whether {@code sp} lies on the task's alternate signal stack. */
    public boolean onAltStack(long sp) {
        return SignalFrame.onAltStack(this, sp);
    }

    /** Whether an unblocked signal is pending, so a blocking wait must end (sigsuspend and friends). */
    public boolean signalPending() {
        synchronized (kernel) {
            long allowed = ~signalMask;
            return (pending.mask() & allowed) != 0 || (tg.sharedPending.mask() & allowed) != 0 || tg.exiting;
        }
    }

    // ---- ending ------------------------------------------------------------------------------------

    /** Ends the task from outside: its loop stops at the next kernel boundary. */
    void markExited() {
        exited = true;
    }

    /** exit(2) for this thread. */
    public void exitThread(int code) {
        synchronized (kernel) {
            if (tg.tasks.size() == 1 && !tg.exiting) {
                tg.exiting = true;
                tg.exitStatus = ExitStatus.exited(code);
            }
        }
        exited = true;
    }

    /** exit_group(2) or a fatal signal: the whole process ends. */
    public void exitGroup(ExitStatus status) {
        List<Object> wake = new ArrayList<>();
        synchronized (kernel) {
            if (!tg.exiting) {
                tg.exiting = true;
                tg.exitStatus = status;
            }
            tg.stopped = false;
            for (Task o : tg.tasks) {
                if (o != this) {
                    wake.add(o);
                }
            }
        }
        exited = true;
        Signals.kickAll(wake);
    }

    public void exitGroupBySignal(int sig) {
        exitGroup(ExitStatus.killed(sig));
    }

    /** Makes the task come back to a kernel boundary soon (checkpoint, exit, signal). */
    void kick() {
        kicked = true;
        synchronized (this) {
            notifyAll();
        }
        Context c = ctx;
        if (c != null) {
            c.interrupt();
        }
    }

    /** Whether a kick (signal, exit, checkpoint) asks this task to leave a blocking wait. */
    boolean interrupted() {
        return kicked || kernel.runtime().freezing();
    }

    /**
     * Blocks until the sandbox's monotonic clock reaches {@code deadline}; returns false if the wait
     * was interrupted (checkpoint, signal, exit) and the syscall must restart.
     */
    public boolean sleepUntil(long deadline) {
        MonotonicClock clock = kernel.clock();
        synchronized (this) {
            while (true) {
                if (kicked || kernel.runtime().freezing()) {
                    return false;
                }
                long left = deadline - clock.now();
                if (left <= 0) {
                    return true;
                }
                try {
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }
    }
}
