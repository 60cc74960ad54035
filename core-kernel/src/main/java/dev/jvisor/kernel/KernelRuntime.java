package dev.jvisor.kernel;

import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.syscalls.SyscallTable;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Platform;
import dev.jvisor.platform.cpu.HostCpuid;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host side of a running kernel, never checkpointed: the platform, one Java thread per task,
 * logging, and the coordination that brings every task to a kernel boundary for a checkpoint.
 */
public final class KernelRuntime {
    /** Options that shape how the sandbox runs but are not part of its state. */
    public record Options(boolean strace, PrintStream log) {}

    private final Kernel kernel;
    private final Platform platform;
    private final Options options;
    private final SyscallTable syscalls = new SyscallTable();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final CpuidEmulator cpuid;
    private final Futexes futexes = new Futexes();
    private final Map<Task, Thread> threads = new HashMap<>();
    /** Created on first use, under its own lock: the kernel lock may be held by the caller. */
    private volatile TimerService timerService;
    private final Object timerServiceLock = new Object();
    private String failure;
    private boolean finished;
    /** Read on every task loop iteration, so volatile rather than behind the monitor. */
    private volatile boolean checkpointPending;
    /** Paused from outside (`jvisor pause`): every task waits at a kernel boundary until resumed. */
    private volatile boolean paused;
    private boolean destroying;
    /** A checkpoint's pages are being written behind the running sandbox. */
    private boolean streaming;
    private int parked;
    /** The first process between `create` and `start`. */
    private Task createdInit;

    public KernelRuntime(Kernel kernel, Platform platform, HostCpuid hostCpuid, Options options) {
        this.kernel = kernel;
        this.platform = platform;
        this.options = options;
        this.cpuid = new CpuidEmulator(hostCpuid);
        kernel.setRuntime(this);
    }

    public Kernel kernel() {
        return kernel;
    }

    public Platform platform() {
        return platform;
    }

    public SyscallTable syscalls() {
        return syscalls;
    }

    public Futexes futexes() {
        return futexes;
    }

    /** The host side of the sandbox's timers, started on first use. */
    public TimerService timers() {
        TimerService ts = timerService;
        if (ts == null) {
            synchronized (timerServiceLock) {
                ts = timerService;
                if (ts == null) {
                    ts = new TimerService(kernel);
                    timerService = ts;
                }
            }
        }
        return ts;
    }

    CpuidEmulator cpuid() {
        return cpuid;
    }

    public SecureRandom random() {
        return random;
    }

    // ---- starting --------------------------------------------------------------------------------

    /**
     * Creates the sandbox's first process (PID 1) running {@code image} in {@code cwd} (a sandbox
     * path), with stdio on the host's 0-2. Throws {@link ExecException} if the program cannot start.
     */
    public Task startInit(ProgramImage image, String cwd) {
        Task t = createInit(image, cwd);
        startCreatedInit();
        return t;
    }

    /**
     * Loads the sandbox's first process (PID 1) without running it, as `jvisor create` does: a program
     * that cannot start fails here, and {@link #startCreatedInit} lets it run.
     */
    public synchronized Task createInit(ProgramImage image, String cwd) {
        if (createdInit != null || !kernel.tasks().isEmpty()) {
            throw new IllegalStateException("the sandbox already has its first process");
        }
        FileDescription[] stdio = new FileDescription[3];
        for (int fd = 0; fd < 3; fd++) {
            stdio[fd] = new HostStdioFile(fd, fd == 0 ? 0 : 1 /* O_WRONLY */);
        }
        createdInit = newProcess(image, cwd, stdio);
        return createdInit;
    }

    /**
     * A new process with no parent (as `jvisor exec` makes: its pid is not 1, and nothing but the
     * Sentry waits for it) running {@code image} in {@code cwd}, with {@code stdio} as fds 0-2. It runs
     * at once; {@link #awaitProcess} waits for its end. Throws {@link ExecException} if it cannot start.
     */
    public synchronized ThreadGroup spawn(ProgramImage image, String cwd, FileDescription[] stdio) {
        if (finished || destroying) {
            throw new IllegalStateException("the sandbox is exiting");
        }
        Task t = newProcess(image, cwd, stdio);
        startThread(t);
        return t.threadGroup();
    }

    /** Waits until {@code tg} has exited (or the sandbox ended); its exit status. */
    public synchronized ExitStatus awaitProcess(ThreadGroup tg) throws InterruptedException {
        while (true) {
            synchronized (kernel) {
                if (tg.zombie) {
                    return tg.exitStatus;
                }
            }
            if (finished) {
                return ExitStatus.killed(Signals.SIGKILL);
            }
            // Woken by taskDone as each task thread ends; the timeout only bounds a missed wake-up.
            wait(100);
        }
    }

    private Task newProcess(ProgramImage image, String cwd, FileDescription[] stdio) {
        ThreadGroup tg = kernel.newThreadGroup(null);
        MemoryManager mm = new MemoryManager(kernel.memory(), kernel.pageRefs(), platform.maxUserAddress());
        FdTable fds = new FdTable();
        for (int fd = 0; fd < stdio.length; fd++) {
            fds.set(fd, stdio[fd], false);
        }
        Task t = new Task(kernel, tg.tgid, tg, mm, fds);
        dev.jvisor.kernel.vfs.Location root = kernel.mounts().rootLocation();
        dev.jvisor.kernel.vfs.FsContext fs = new dev.jvisor.kernel.vfs.FsContext(root, root);
        t.setFsContext(fs);
        try {
            fs.cwd = dev.jvisor.kernel.vfs.PathResolver.resolve(t, root, cwd, true);
        } catch (SyscallException e) {
            // A cwd that does not exist in the sandbox: start at / as runsc does.
        }
        try {
            image.loadInto(t);
        } catch (RuntimeException e) {
            mm.releaseAll();
            kernel.removeGroup(tg);
            throw e;
        }
        kernel.addTask(t);
        AddressSpace as = platform.newAddressSpace();
        mm.attachHost(as);
        t.attach(as.mainContext());
        return t;
    }

    /** Lets the process made by {@link #createInit} run. */
    public synchronized void startCreatedInit() {
        if (createdInit == null) {
            throw new IllegalStateException("no created process to start");
        }
        startThread(createdInit);
        createdInit = null;
    }

    /**
     * After a restore: gives every address space a fresh stub, with one host thread per task that
     * uses it, and lets the tasks run.
     */
    public void resumeRestored() {
        kernel.clock().thaw();
        timers().rearmAll();
        Map<MemoryManager, Task> firsts = new HashMap<>();
        List<Task> starting = new java.util.ArrayList<>();
        for (Task t : kernel.tasks()) {
            Task first = firsts.get(t.mm());
            if (first == null) {
                AddressSpace s = platform.newAddressSpace();
                t.mm().attachHost(s);
                firsts.put(t.mm(), t);
                t.attach(s.mainContext());
                starting.add(t);
            } else {
                // Made by the first task's own thread: under ptrace only the tracer thread may ask.
                first.addSiblingToStart(t);
            }
        }
        starting.forEach(this::startThread);
    }

    synchronized void startThread(Task t) {
        Thread th = new Thread(t::run, "task-" + t.tid);
        th.setDaemon(true);
        threads.put(t, th);
        th.start();
    }

    // ---- exits -----------------------------------------------------------------------------------

    synchronized void taskDone(Task t) {
        threads.remove(t);
        if (destroying) {
            notifyAll();
            return;
        }
        kernel.removeTask(t);
        // Only once every task thread is done: the last thread of a process leaves the task list before
        // it records the exit status (it frees memory and files in between, see Processes.threadExited).
        if (threads.isEmpty() && (kernel.tasks().isEmpty() || kernel.exitStatus() != null && failure == null)) {
            finished = true;
        }
        notifyAll();
    }

    /** Ends the sandbox because the host side failed; the message is what the user sees. */
    void fail(String message) {
        fail(message, null);
    }

    synchronized void fail(String message, Throwable cause) {
        if (destroying) {
            return;
        }
        if (failure == null) {
            failure = message;
            if (cause != null && System.getenv("JVISOR_DEBUG") != null) {
                cause.printStackTrace(options.log());
            }
        }
        destroy();
    }

    /** Waits until init exits; returns its status, or throws with the failure that ended the sandbox. */
    public synchronized ExitStatus awaitExit() throws InterruptedException {
        while (!finished) {
            wait();
        }
        if (failure != null) {
            // Let task threads leave before the caller frees the memory file under them.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!threads.isEmpty() && System.nanoTime() < deadline) {
                wait(100);
            }
            throw new SandboxFailure(failure);
        }
        return kernel.exitStatus() != null ? kernel.exitStatus() : ExitStatus.exited(0);
    }

    /** Kills every stub and stops every task thread. */
    public synchronized void destroy() {
        destroying = true;
        checkpointPending = false;
        TimerService ts = timerService;
        if (ts != null) {
            ts.shutdown();
        }
        for (Task t : kernel.tasks()) {
            t.kick();
            if (t.mm().host() != null) {
                t.mm().host().release();
            }
        }
        notifyAll();
        finished = true;
    }

    /**
     * A signal from outside the sandbox (`jvisor kill`) to its init process. It is delivered as any
     * signal is: a handler runs, or the default action applies (SIGKILL always ends it).
     */
    public void signalInit(int sig) {
        if (sig < 1 || sig > 64) {
            throw new IllegalArgumentException("bad signal " + sig);
        }
        ThreadGroup init = kernel.init();
        if (init != null) {
            Signals.sendToGroup(init, SigInfo.fromProcess(sig, SigInfo.SI_USER, 0, 0));
        }
    }

    /** A signal from outside to every process of the sandbox (`jvisor kill --all`), init last. */
    public void signalAll(int sig) {
        List<ThreadGroup> groups = kernel.groups();
        groups.sort((a, b) -> Integer.compare(b.tgid, a.tgid));
        for (ThreadGroup tg : groups) {
            Signals.sendToGroup(tg, SigInfo.fromProcess(sig, SigInfo.SI_USER, 0, 0));
        }
    }

    /** A signal from outside to one process (`jvisor kill --pid N`); false if there is no such process. */
    public boolean signalProcess(int pid, int sig) {
        ThreadGroup tg = kernel.group(pid);
        if (tg == null || tg.isZombie()) {
            return false;
        }
        Signals.sendToGroup(tg, SigInfo.fromProcess(sig, SigInfo.SI_USER, 0, 0));
        return true;
    }

    /**
     * A terminal signal from outside (Ctrl-C, Ctrl-\\ at the terminal jvisor runs on): it goes to the
     * sandbox's foreground process group, as the host kernel's tty driver would send it.
     */
    public void signalForeground(int sig) {
        int pgid = kernel.foregroundPgrp();
        for (ThreadGroup tg : kernel.groups()) {
            if (tg.pgid == pgid) {
                Signals.sendToGroup(tg, SigInfo.of(sig, SigInfo.SI_KERNEL));
            }
        }
    }

    // ---- checkpoint --------------------------------------------------------------------------------

    /** Whether tasks must stop at their next kernel boundary: a checkpoint is pending, or the sandbox is paused. */
    boolean freezing() {
        return checkpointPending || paused;
    }

    synchronized boolean destroying() {
        return destroying;
    }

    /** Called by a task at a kernel boundary while {@link #freezing()}: waits until that is over. */
    synchronized void parkWhileFrozen(Task t) {
        parked++;
        notifyAll();
        while ((checkpointPending || paused) && !destroying) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        parked--;
    }

    /**
     * What to do with the quiesced kernel: write it somewhere. May return work to finish once the
     * sandbox runs again (the pages of a checkpoint), or null.
     */
    @FunctionalInterface
    public interface QuiescedAction {
        AfterResume run(Kernel k) throws Exception;
    }

    /** The part of a checkpoint that runs after the sandbox has resumed. */
    @FunctionalInterface
    public interface AfterResume {
        void run() throws Exception;
    }

    /**
     * Brings every task to a kernel boundary, runs {@code action} on the frozen kernel, and then
     * either resumes the sandbox and runs what the action returned, or (when {@code stopAfter})
     * runs that too while frozen and destroys the sandbox if everything succeeded. On failure the
     * sandbox keeps running and the exception propagates. Returns how long the sandbox was paused.
     */
    public long checkpoint(QuiescedAction action, boolean stopAfter) throws Exception {
        long start = System.nanoTime();
        synchronized (this) {
            if (checkpointPending || streaming) {
                throw new IllegalStateException("a checkpoint is already in progress");
            }
            if (finished || destroying) {
                throw new IllegalStateException("the sandbox is exiting");
            }
            checkpointPending = true;
            awaitAllParked();
            if (finished) {
                checkpointPending = false;
                notifyAll();
                throw new IllegalStateException("the sandbox exited during the checkpoint");
            }
        }
        boolean ok = false;
        AfterResume rest = null;
        TimerService ts = timerService; // none yet: no timer was ever armed, and none can be now
        if (ts != null) {
            ts.pause();
        }
        try {
            kernel.clock().freeze();
            kernel.beforeCheckpoint();
            rest = action.run(kernel);
            if (stopAfter && rest != null) {
                rest.run();
                rest = null;
            }
            ok = true;
        } finally {
            synchronized (this) {
                if (ok && stopAfter) {
                    destroy();
                } else {
                    checkpointPending = false;
                    streaming = ok && rest != null;
                    if (ts != null) {
                        ts.resume();
                    }
                    notifyAll();
                }
            }
        }
        long pause = System.nanoTime() - start;
        if (rest != null) {
            try {
                rest.run();
            } finally {
                synchronized (this) {
                    streaming = false;
                }
            }
        }
        return pause;
    }

    /** Kicks every task out of app code and blocking waits until all are parked (or the sandbox ended). */
    private synchronized void awaitAllParked() throws InterruptedException {
        for (Task t : kernel.tasks()) {
            t.kick();
        }
        while (parked < threads.size() && !finished) {
            wait(1000);
            for (Task t : kernel.tasks()) {
                t.kick();
            }
        }
    }

    /**
     * Freezes every task at a kernel boundary (`jvisor pause`, as the cgroup freezer does for runc):
     * returns once none runs. Clocks go on; a sleep or timer that expires meanwhile takes effect on
     * {@link #unpause()}, as do signals sent meanwhile. A checkpoint may be taken while paused.
     */
    public synchronized void pause() throws InterruptedException {
        if (finished || destroying) {
            throw new IllegalStateException("the sandbox is exiting");
        }
        paused = true;
        awaitAllParked();
    }

    /** Lets the tasks of a paused sandbox run again. */
    public synchronized void unpause() {
        paused = false;
        notifyAll();
    }

    // ---- reporting ---------------------------------------------------------------------------------

    public boolean straceEnabled() {
        return options.strace();
    }

    public void strace(String line) {
        options.log().println(line);
    }

    /** An unimplemented syscall, reported once per name. */
    public void reportUnsupported(String name) {
        if (reported.add(name)) {
            options.log().println("jvisor: unsupported syscall " + name + " (returned ENOSYS)");
        }
    }

    public void warn(String message) {
        if (reported.add("warn:" + message)) {
            options.log().println("jvisor: " + message);
        }
    }

    List<Task> tasks() {
        return kernel.tasks();
    }
}
