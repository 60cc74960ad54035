package dev.jvisor.kernel;

import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of tasks and processes, as Linux's fork.c, exec.c and exit.c: clone for threads and
 * processes (copy-on-write address spaces, shared or copied fd tables, fs contexts and signal
 * actions), execve, thread and process exit (zombies, reparenting to init, SIGCHLD), and wait.
 */
public final class Processes {
    private Processes() {}

    public static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
            CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000,
            CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000, CLONE_NEWCGROUP = 0x2000000,
            CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000L;
    private static final long NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC
            | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
    /** Threads one stub process can hold (its sysmsg slots), and so the sandbox's thread bound. */
    private static final int MAX_TASKS = 4096;

    /**
     * clone(2)/clone3(2)/fork(2)/vfork(2): starts a new thread or process that resumes where the caller
     * is, with RAX = 0. Returns the child's tid.
     */
    public static long clone(Task t, long flags, long stack, long ptid, long ctid, long tls, int exitSignal) {
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0
                || (flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0
                || exitSignal < 0 || exitSignal > 64) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & NAMESPACES) != 0) {
            t.kernel.runtime().warn("clone: namespaces are not supported inside the sandbox (EPERM)");
            throw new SyscallException(Errno.EPERM);
        }
        Kernel k = t.kernel;
        ThreadGroup ptg = t.threadGroup();
        boolean thread = (flags & CLONE_THREAD) != 0;
        synchronized (k) {
            // Linux counts the threads of the caller's real uid against RLIMIT_NPROC; root is exempt.
            int uid = ptg.creds.uid;
            long nproc = ptg.limits.soft[Limits.RLIMIT_NPROC];
            if (k.taskCount() >= MAX_TASKS
                    || uid != 0 && nproc >= 0 && k.tasks().stream().filter(o -> o.threadGroup().creds.uid == uid).count() >= nproc) {
                throw new SyscallException(Errno.EAGAIN);
            }
        }
        CpuState regs = new CpuState();
        t.context().save(regs);
        regs.set(Reg.RAX, 0);
        if (stack != 0) {
            regs.set(Reg.RSP, stack);
        }
        if ((flags & CLONE_SETTLS) != 0) {
            regs.fsBase = tls;
        }

        ThreadGroup tg;
        int tid;
        if (thread) {
            tg = ptg;
            tid = k.allocateTid();
        } else {
            tg = k.newThreadGroup((flags & CLONE_PARENT) != 0 && ptg.parent != null ? ptg.parent : ptg);
            tid = tg.tgid;
            copyProcessState(ptg, tg, flags, exitSignal);
        }
        MemoryManager mm = (flags & CLONE_VM) != 0 ? t.mm() : t.mm().fork();
        FdTable fds = (flags & CLONE_FILES) != 0 ? t.fds() : t.fds().copy();
        FsContext fs = t.fsContext();
        if ((flags & CLONE_FS) == 0) {
            FsContext copy = new FsContext(fs.root, fs.cwd);
            copy.umask = fs.umask;
            fs = copy;
        }
        Task child = new Task(k, tid, tg, mm, fds);
        child.settings = t.settings.forChild(TaskSettings.commOf(t));
        child.setFsContext(fs);
        child.signalMask = t.signalMask;
        if ((flags & CLONE_VM) == 0 || (flags & CLONE_VFORK) != 0) {
            child.altStackSp = t.altStackSp;
            child.altStackSize = t.altStackSize;
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            child.clearChildTid = ctid;
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            t.mm().writeInt(ptid, tid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            mm.writeInt(ctid, tid);
        }
        System.arraycopy(regs.gregs, 0, child.cpu.gregs, 0, regs.gregs.length);
        child.cpu.fsBase = regs.fsBase;
        child.cpu.gsBase = regs.gsBase;
        child.cpu.fpState = regs.fpState;

        Context ctx;
        if ((flags & CLONE_VM) != 0) {
            mm.markSharedByThreads();
            ctx = t.context().newThread();
        } else {
            // The parent's writable pages are now shared: no thread of it may write them unseen.
            t.mm().host().flush(t.context());
            AddressSpace as = k.runtime().platform().newAddressSpace();
            mm.attachHost(as);
            ctx = as.mainContext();
        }
        child.attach(ctx);
        if ((flags & CLONE_VFORK) != 0) {
            child.vforkParent = t;
        }
        k.addTask(child);
        k.runtime().startThread(child);
        if ((flags & CLONE_VFORK) != 0) {
            t.vforkChild = child;
        }
        return tid;
    }

    private static void copyProcessState(ThreadGroup from, ThreadGroup to, long flags, int exitSignal) {
        to.signalActions = (flags & CLONE_SIGHAND) != 0 ? from.signalActions : from.signalActions.copy();
        to.limits = from.limits.copy();
        to.creds = from.creds.copy();
        to.exitSignal = exitSignal;
        to.exePath = from.exePath;
        to.argv = from.argv;
        to.argStart = from.argStart;
        to.argEnd = from.argEnd;
        to.envStart = from.envStart;
        to.envEnd = from.envEnd;
        to.startStack = from.startStack;
        to.auxv = from.auxv;
        to.comm = from.comm;
        to.settings = from.settings.forChild();
    }

    // ---- execve --------------------------------------------------------------------------------------

    /**
     * execve(2): replaces the process's image with the program at {@code path} (an ELF file, or a
     * script whose "#!" line names its interpreter). Errors before the old image is dropped come back
     * as exceptions and leave the caller untouched.
     */
    public static void exec(Task t, String path, List<String> argv, List<String> envp) {
        Kernel k = t.kernel;
        MemoryManager old = t.mm();
        MemoryManager mm = new MemoryManager(k.memory(), k.pageRefs(), old.maxAddr());
        t.setMm(mm);
        try {
            new ElfProgram(path, argv, envp).loadInto(t);
        } catch (ExecException | SyscallException e) {
            t.setMm(old);
            mm.releaseAll();
            throw e instanceof ExecException x ? new SyscallException(x.errno) : (SyscallException) e;
        }
        // The point of no return: other threads go, the new image gets its own stub.
        killOtherThreads(t);
        if (t.clearChildTid != 0) {
            // Linux's mm_release: whoever waits for this thread in the old image learns it is gone.
            k.runtime().futexes().wakeForClearChildTid(t, t.clearChildTid);
            t.clearChildTid = 0;
        }
        k.runtime().futexes().exitRobustList(t, old);
        Context oldCtx = t.context();
        AddressSpace as = k.runtime().platform().newAddressSpace();
        mm.attachHost(as);
        t.attach(as.mainContext());
        List<Object> wake = new ArrayList<>();
        boolean oldUsed;
        synchronized (k) {
            oldUsed = k.anyTaskUses(old);
            releaseVfork(t, wake);
            ThreadGroup tg = t.threadGroup();
            tg.signalActions = tg.signalActions.copy();
            tg.signalActions.resetForExec();
            t.altStackSp = 0;
            t.altStackSize = 0;
        }
        if (oldUsed) {
            oldCtx.release();
        } else {
            old.releaseAll();
            old.host().release();
        }
        if (k.anyOtherTaskUsesFds(t)) {
            t.setFds(t.fds().copy());
        }
        t.fds().closeOnExec();
        t.threadGroup().timers.onExec(t);
        t.keepRegisters();
        Signals.kickAll(wake);
    }

    /** Linux's de_thread: every other thread of the process ends before the new image runs. */
    private static void killOtherThreads(Task t) {
        Kernel k = t.kernel;
        List<Task> others;
        synchronized (k) {
            others = new ArrayList<>(t.threadGroup().tasks);
            others.remove(t);
        }
        for (Task o : others) {
            o.markExited();
            o.kick();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (k) {
                if (t.threadGroup().tasks.size() <= 1) {
                    return;
                }
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new IllegalStateException("threads of process " + t.threadGroup().tgid + " did not end for execve");
    }

    // ---- exit ----------------------------------------------------------------------------------------

    /** A thread has left its loop: tidy up after it, and after its process if it was the last thread. */
    static void threadExited(Task t) {
        Kernel k = t.kernel;
        k.runtime().futexes().exitRobustList(t);
        if (t.clearChildTid != 0) {
            k.runtime().futexes().wakeForClearChildTid(t, t.clearChildTid);
        }
        Context ctx = t.context();
        List<Object> wake = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        boolean last;
        boolean mmUsed;
        boolean fdsUsed;
        ThreadGroup tg = t.threadGroup();
        synchronized (k) {
            k.removeTask(t);
            last = tg.tasks.isEmpty();
            releaseVfork(t, wake);
            if (!last && tg.exiting) {
                wake.addAll(tg.tasks);
            }
            mmUsed = k.anyTaskUses(t.mm());
            fdsUsed = k.anyTaskUsesFds(t.fds());
        }
        // Linux's do_exit: exit_mm and exit_files come before exit_notify, so a parent that reaps the
        // process finds its memory (and the files only it mapped) freed, its record locks released and
        // its pipe ends closed. Not under the kernel lock: closing wakes other tasks. A checkpoint
        // cannot fall in between: it waits for this thread to finish (KernelRuntime.taskDone).
        if (!mmUsed) {
            MemoryManager mm = t.mm();
            mm.releaseAll();
            if (mm.host() != null) {
                mm.host().release();
            }
        } else if (ctx != null) {
            ctx.release();
        }
        if (!fdsUsed) {
            t.fds().closeAll();
        }
        if (last) {
            synchronized (k) {
                if (!tg.exiting) {
                    tg.exiting = true;
                    tg.exitStatus = ExitStatus.exited(0);
                }
                tg.zombie = true;
                tg.timers.onExit();
                processExited(k, tg, wake, after);
            }
        }
        after.forEach(Runnable::run);
        Signals.kickAll(wake);
    }

    private static void releaseVfork(Task t, List<Object> wake) {
        if (t.vforkParent != null) {
            t.vforkDone = true;
            wake.add(t.vforkParent);
            t.vforkParent = null;
        }
    }

    /** The last thread of {@code tg} is gone: reparent its children, tell its parent. Kernel lock held. */
    private static void processExited(Kernel k, ThreadGroup tg, List<Object> wake, List<Runnable> after) {
        ThreadGroup reaper = k.init();
        for (ThreadGroup a = tg.parent; a != null; a = a.parent) {
            if (a.childSubreaper && !a.exiting) {
                reaper = a;
                break;
            }
        }
        for (ThreadGroup c : new ArrayList<>(tg.children)) {
            for (Task ct : c.tasks) {
                if (ct.pdeathSignal != 0) {
                    int sig = ct.pdeathSignal;
                    after.add(() -> Signals.sendToTask(ct, SigInfo.of(sig, SigInfo.SI_USER)));
                }
            }
            if (tg.tgid == 1 || reaper == null || reaper == tg) {
                continue;
            }
            tg.children.remove(c);
            c.parent = reaper;
            reaper.children.add(c);
            if (c.zombie) {
                wake.add(reaper.childWaiters());
            }
        }
        if (tg.tgid == 1) {
            // The sandbox's init is gone: like a PID namespace, everything else dies with it.
            k.setExitStatus(tg.exitStatus);
            for (ThreadGroup o : k.groups()) {
                if (o != tg && !o.exiting) {
                    o.exiting = true;
                    o.exitStatus = ExitStatus.killed(Signals.SIGKILL);
                    wake.addAll(o.tasks);
                }
            }
            return;
        }
        ThreadGroup p = tg.parent;
        ExitStatus st = tg.exitStatus;
        int why = st.signal() != 0 ? SigInfo.CLD_KILLED : SigInfo.CLD_EXITED;
        boolean autoReap = p == null || p.signalActions.handler[Signals.SIGCHLD] == SignalActions.SIG_IGN
                || (p.signalActions.flags[Signals.SIGCHLD] & Signals.SA_NOCLDWAIT) != 0;
        if (autoReap && tg.exitSignal == Signals.SIGCHLD) {
            k.removeGroup(tg);
            if (p != null) {
                wake.add(p.childWaiters());
            }
            return;
        }
        Signals.notifyParent(tg, why, st.signal() != 0 ? st.signal() : st.code(), wake);
        if (p != null) {
            wake.add(p.childWaiters());
        }
    }

    // ---- wait ----------------------------------------------------------------------------------------

    public static final int WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;

    /** What wait4/waitid found: the child's pid, its wait status word and how it changed (CLD_*). */
    public record WaitResult(int pid, int status, int why, int uid) {}

    /** Which children a wait selects: pid > 0, any (-1), a process group (pgid > 0). */
    public record WaitSpec(int pid, int pgid) {
        boolean matches(ThreadGroup c) {
            return pid > 0 ? c.tgid == pid : pgid <= 0 || c.pgid == pgid;
        }
    }

    /**
     * Waits for a child's change of state as wait4/waitid do. Returns null with WNOHANG when nothing is
     * ready; throws ECHILD when no child matches; -ERESTARTSYS (as an exception) when interrupted.
     */
    public static WaitResult await(Task t, WaitSpec spec, int options) {
        ThreadGroup tg = t.threadGroup();
        WaitResult[] out = new WaitResult[1];
        boolean[] none = new boolean[1];
        boolean ok = tg.childWaiters().await(t, t.kernel, () -> {
            none[0] = false;
            out[0] = tryWait(t.kernel, tg, spec, options, none);
            return out[0] != null || none[0] || (options & WNOHANG) != 0;
        });
        if (none[0]) {
            throw new SyscallException(Errno.ECHILD);
        }
        if (!ok) {
            throw new SyscallException(Errno.ERESTARTSYS);
        }
        return out[0];
    }

    /** One look at the children; kernel lock held. */
    private static WaitResult tryWait(Kernel k, ThreadGroup tg, WaitSpec spec, int options, boolean[] none) {
        boolean any = false;
        for (ThreadGroup c : new ArrayList<>(tg.children)) {
            if (!spec.matches(c)) {
                continue;
            }
            any = true;
            if (c.zombie && (options & WEXITED) != 0) {
                ExitStatus st = c.exitStatus;
                int why = st.signal() != 0 ? SigInfo.CLD_KILLED : SigInfo.CLD_EXITED;
                if ((options & WNOWAIT) == 0) {
                    k.removeGroup(c);
                    tg.childUserNs += c.childUserNs + c.deadThreadsCpuNs;
                    tg.settings.addReapedChild(c.settings);
                }
                return new WaitResult(c.tgid, st.waitStatus(), why, c.creds.uid);
            }
            if (c.stopped && c.unreportedStop != 0 && (options & WUNTRACED) != 0) {
                int sig = c.unreportedStop;
                if ((options & WNOWAIT) == 0) {
                    c.unreportedStop = 0;
                }
                return new WaitResult(c.tgid, (sig << 8) | 0x7f, SigInfo.CLD_STOPPED, c.creds.uid);
            }
            if (c.unreportedContinue && (options & WCONTINUED) != 0) {
                if ((options & WNOWAIT) == 0) {
                    c.unreportedContinue = false;
                }
                return new WaitResult(c.tgid, 0xffff, SigInfo.CLD_CONTINUED, c.creds.uid);
            }
        }
        none[0] = !any;
        return null;
    }
}
