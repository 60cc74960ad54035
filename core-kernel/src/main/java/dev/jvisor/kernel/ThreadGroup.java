package dev.jvisor.kernel;

import dev.jvisor.kernel.vfs.WaitQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A process: the state its threads share (signal actions and process-wide pending signals, limits,
 * identity, what it executes), its place in the process tree (parent, children, process group,
 * session) and how it ended. Tree and signal fields are guarded by the kernel lock (the
 * {@link Kernel} monitor).
 */
public final class ThreadGroup {
    public final Kernel kernel;
    public final int tgid;
    /** Shared with other processes after clone(CLONE_SIGHAND) without CLONE_THREAD. */
    public SignalActions signalActions;
    public Limits limits;
    public Credentials creds;
    public final PendingSignals sharedPending = new PendingSignals();
    /** Dumpable and resident-size high-water marks (fork: settings.forChild). */
    public ProcessSettings settings = new ProcessSettings();
    /** itimers and POSIX timers (not inherited by fork: a new process starts with none). */
    public final ProcessTimers timers = new ProcessTimers(this);
    /** The path of the executable, as /proc/self/exe shows it. */
    public String exePath;
    public List<String> argv;
    /**
     * What /proc/PID/cmdline, environ, auxv and stat show, recorded by the loader (Linux keeps them in
     * mm_struct): where the argument and environment strings lie on the initial stack, the initial
     * stack pointer, the auxiliary vector as (type, value) pairs, the command name (the executable's
     * file name, at most 15 bytes), and when the program started (sandbox monotonic ns).
     */
    public long argStart, argEnd, envStart, envEnd, startStack;
    public long[] auxv;
    public String comm;
    public long startTimeNs;

    // ---- the process tree ----
    ThreadGroup parent;
    final List<ThreadGroup> children = new ArrayList<>();
    /** Live threads; the first is the leader while it lives. */
    final List<Task> tasks = new ArrayList<>();
    public int pgid;
    public int sid;
    /** The signal sent to the parent when this process ends (SIGCHLD, or clone's exit signal). */
    int exitSignal = 17;
    public boolean childSubreaper;

    // ---- ending ----
    /** exit_group or a fatal signal is under way: every thread leaves at its next kernel boundary. */
    public boolean exiting;
    public ExitStatus exitStatus;
    /** Every thread has gone; the parent has not reaped it yet. */
    boolean zombie;
    /** CPU time of reaped children (ns), for getrusage(RUSAGE_CHILDREN) and times(2). */
    public long childUserNs, childSysNs;
    /** CPU time of threads of this process that have exited (ns). */
    public long deadThreadsCpuNs;

    // ---- job control ----
    /** A group stop is in effect (SIGSTOP, SIGTSTP, ...): threads park until SIGCONT or SIGKILL. */
    boolean stopped;
    /** The stop signal, or -1 (continued), not yet reported to a wait4 with WUNTRACED / WCONTINUED. */
    int unreportedStop;
    boolean unreportedContinue;

    /** Tasks blocked in wait4/waitid on this process's children (host-side, rebuilt lazily). */
    private transient WaitQueue childWaiters;

    ThreadGroup(Kernel kernel, int tgid, ThreadGroup parent) {
        this.kernel = kernel;
        this.tgid = tgid;
        this.parent = parent;
        this.signalActions = new SignalActions();
        this.limits = new Limits();
        this.creds = new Credentials();
        this.pgid = tgid;
        this.sid = tgid;
    }

    public ThreadGroup parent() {
        return parent;
    }

    /** The parent's pid as getppid(2) shows it: 0 for the sandbox's init. */
    public int ppid() {
        return parent == null ? 0 : parent.tgid;
    }

    public List<Task> liveTasks() {
        return tasks;
    }

    public boolean isZombie() {
        return zombie;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Woken whenever a signal is queued for this process or one of its threads (signalfd). */
    private transient WaitQueue signalWaiters;

    public synchronized WaitQueue signalWaiters() {
        if (signalWaiters == null) {
            signalWaiters = new WaitQueue();
        }
        return signalWaiters;
    }

    synchronized WaitQueue childWaiters() {
        if (childWaiters == null) {
            childWaiters = new WaitQueue();
        }
        return childWaiters;
    }
}
