package dev.jvisor.kernel;

import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.syscalls.SyscallArgs;
import dev.jvisor.kernel.syscalls.SyscallTable;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.Reg;
import dev.jvisor.platform.StopReason;

/**
 * A thread of the sandbox. It runs on its own Java thread: switch to app code, handle the syscall,
 * fault or interrupt that brought it back, repeat. Between two switches it is at a clean kernel
 * boundary, which is where checkpoints catch it: then its registers are copied into {@link #cpu}
 * and nothing of it lives on a Java stack.
 */
public final class Task {
    private static final int SIGSEGV = 11, SIGBUS = 7;
    private static final long NR_RESTART_SYSCALL = 219;

    public final Kernel kernel;
    public final int tid;
    private final ThreadGroup tg;
    private MemoryManager mm;
    private FdTable fds;
    private dev.jvisor.kernel.vfs.FsContext fsContext;
    /** Registers as of the last checkpoint (or the initial image); live registers are in the context. */
    final CpuState cpu = new CpuState();
    public long clearChildTid;
    public long robustList;
    public long signalMask;
    public long altStackSp;
    public long altStackSize;
    /** What restart_syscall(2) resumes: a blocking call interrupted by a checkpoint or signal. */
    public RestartBlock restart;
    private volatile boolean exited;

    private transient Context ctx;
    private transient SyscallArgs args;
    private transient volatile boolean kicked;

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

    public FdTable fds() {
        return fds;
    }

    public dev.jvisor.kernel.vfs.FsContext fsContext() {
        return fsContext;
    }

    public void setFsContext(dev.jvisor.kernel.vfs.FsContext fs) {
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

    /** Binds the task to a host thread context and loads its saved registers (start or restore). */
    void attach(Context context) {
        this.ctx = context;
        this.args = new SyscallArgs();
        context.load(cpu);
    }

    /** The task's main loop, on its own Java thread. */
    void run() {
        KernelRuntime rt = kernel.runtime();
        try {
            while (!exited) {
                if (rt.checkpointPending()) {
                    ctx.save(cpu);
                    rt.parkForCheckpoint(this);
                    if (rt.destroying()) {
                        return;
                    }
                    ctx.load(cpu);
                }
                if (kicked) {
                    kicked = false; // a volatile write is a full fence: skip it on the common path
                }
                StopReason why = ctx.switchToApp();
                switch (why) {
                    case SYSCALL -> syscall(rt);
                    case FAULT -> fault();
                    case INTERRUPT -> { }
                }
            }
        } catch (PlatformException e) {
            rt.fail("task " + tid + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            rt.fail("task " + tid + ": internal error: " + e, e);
        } finally {
            rt.taskDone(this);
        }
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
        if (r <= -Errno.ERESTARTSYS && r >= -Errno.ERESTART_RESTARTBLOCK) {
            // No signal handlers run yet, so every interrupted call restarts (the checkpoint case).
            c.setReg(Reg.RIP, c.reg(Reg.RIP) - 2);
            c.setReg(Reg.RAX, r == -Errno.ERESTART_RESTARTBLOCK ? NR_RESTART_SYSCALL : nr);
            return;
        }
        c.setSyscallResult(r);
    }

    private void fault() {
        int sig = ctx.faultSignal();
        if (sig == SIGSEGV) {
            long err = ctx.trapError();
            long trap = ctx.trapNumber();
            if (trap == 14) { // page fault
                boolean write = (err & 2) != 0;
                boolean exec = (err & 16) != 0;
                int code;
                try {
                    code = mm.handleFault(ctx.faultAddress(), write, exec);
                } catch (SyscallException e) {
                    kernel.runtime().warn("out of sandbox memory at " + Long.toHexString(ctx.faultAddress()));
                    exitGroupBySignal(SIGBUS);
                    return;
                }
                if (code == 0) {
                    return;
                }
            } else if (kernel.runtime().cpuid().emulate(this)) {
                return;
            }
        }
        // Signal delivery to app handlers is not in this milestone: a synchronous fault is fatal.
        exitGroupBySignal(sig);
    }

    /** Ends the task from outside (a fatal signal): its loop stops at the next kernel boundary. */
    void markExited() {
        exited = true;
    }

    /** exit(2) for this thread. */
    public void exitThread(int code) {
        exited = true;
        if (kernel.runtime().lastThread(this)) {
            exitGroup(ExitStatus.exited(code));
        }
    }

    /** exit_group(2) or a fatal signal: the whole process ends. */
    public void exitGroup(ExitStatus status) {
        exited = true;
        if (!tg.exiting) {
            tg.exiting = true;
            tg.exitStatus = status;
        }
        kernel.runtime().groupExited(this);
    }

    public void exitGroupBySignal(int sig) {
        exitGroup(ExitStatus.killed(sig));
    }

    /**
     * Sends signal {@code sig} (1-64) to this task, as the kernel does for SIGPIPE or tkill(2) to
     * itself. Default and ignore dispositions act as Linux's do; until handlers run, a handled signal
     * takes its default action.
     */
    public void raiseSignal(int sig) {
        SignalActions s = tg.signalActions;
        if (s.handler[sig] == SignalActions.SIG_IGN && sig != 9) {
            return;
        }
        if (s.handler[sig] != SignalActions.SIG_DFL && sig != 9) {
            kernel.runtime().warn("signal " + sig + " has a handler, which this jvisor cannot run yet: default action");
        }
        switch (SignalActions.defaultAction(sig)) {
            case TERMINATE, CORE -> exitGroupBySignal(sig);
            default -> { }
        }
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

    /**
     * Blocks until the sandbox's monotonic clock reaches {@code deadline}; returns false if the wait
     * was interrupted (checkpoint, signal, exit) and the syscall must restart.
     */
    public boolean sleepUntil(long deadline) {
        MonotonicClock clock = kernel.clock();
        synchronized (this) {
            while (true) {
                if (kicked || kernel.runtime().checkpointPending()) {
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
