package dev.jvisor.kernel;

import dev.jvisor.platform.MemoryFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The root of the sandbox's state: every task, the memory file's allocation map, clocks, and what the
 * app was shown of the CPU. A checkpoint serializes the graph reachable from here; everything tied to
 * the host (threads, stubs, the memfd) lives in the transient {@link KernelRuntime}.
 */
public final class Kernel {
    private final MemoryFile memory;
    private final TreeMap<Integer, Task> tasks = new TreeMap<>();
    /** Every process that has not been reaped, zombies included, by tgid. */
    private final TreeMap<Integer, ThreadGroup> groups = new TreeMap<>();
    private final dev.jvisor.kernel.mm.PageRefs pageRefs = new dev.jvisor.kernel.mm.PageRefs();
    private int nextTid = 1;
    private final MonotonicClock clock = new MonotonicClock();
    /** The CPU feature words the app was shown (recorded in snapshots, checked on restore). */
    private final Map<String, String> cpuFeatures;
    private final String hostname;
    private ExitStatus exitStatus;
    /** The terminal's foreground process group as the sandbox set it (tcsetpgrp); 0 until set. */
    private int foregroundPgrp;
    private dev.jvisor.kernel.vfs.MountNamespace mounts;
    private long nextDev = 0x100;
    private dev.jvisor.kernel.fs.tmpfs.MemFs memfdFs;
    private dev.jvisor.kernel.fs.pipe.PipeFs pipeFs;
    private dev.jvisor.kernel.net.NetStack net;
    /** inotify's per-user counts and limits (created on first use), and the rename cookie counter. */
    private dev.jvisor.kernel.fs.inotify.InotifyLimits inotify;
    private int fsnotifyCookie;
    private transient KernelRuntime runtime;

    public Kernel(MemoryFile memory, Map<String, String> cpuFeatures, String hostname) {
        this.memory = memory;
        this.cpuFeatures = new LinkedHashMap<>(cpuFeatures);
        this.hostname = hostname;
    }

    public MemoryFile memory() {
        return memory;
    }

    /** Owners of memory-file pages shared copy-on-write between address spaces. */
    public dev.jvisor.kernel.mm.PageRefs pageRefs() {
        return pageRefs;
    }

    public MonotonicClock clock() {
        return clock;
    }

    public Map<String, String> cpuFeatures() {
        return cpuFeatures;
    }

    public String hostname() {
        return hostname;
    }

    /** The kernel release uname(2) reports. */
    public String release() {
        return "6.1.0";
    }

    public dev.jvisor.kernel.vfs.MountNamespace mounts() {
        return mounts;
    }

    public void setMounts(dev.jvisor.kernel.vfs.MountNamespace ns) {
        this.mounts = ns;
    }

    /**
     * Called with every task stopped, just before the kernel graph is written: host files the app
     * holds on bind mounts record their identity, so a restore can tell whether they changed.
     */
    public void beforeCheckpoint() {
        dev.jvisor.kernel.fs.gofer.BindMounts.recordIdentities(this);
    }

    /** The internal file system memfd_create files live on. */
    public synchronized dev.jvisor.kernel.fs.tmpfs.MemFs memfdFs() {
        if (memfdFs == null) {
            memfdFs = new dev.jvisor.kernel.fs.tmpfs.MemFs(allocateDev(), memory, "tmpfs", 01777);
        }
        return memfdFs;
    }

    /** The internal file system anonymous pipes' inodes live on (Linux's pipefs). */
    public synchronized dev.jvisor.kernel.fs.pipe.PipeFs pipeFs() {
        if (pipeFs == null) {
            pipeFs = new dev.jvisor.kernel.fs.pipe.PipeFs(allocateDev());
        }
        return pipeFs;
    }

    /** The sandbox's network stack (sockets), created on first use. */
    public synchronized dev.jvisor.kernel.net.NetStack net() {
        if (net == null) {
            net = new dev.jvisor.kernel.net.NetStack(allocateDev(), clock);
        }
        return net;
    }

    /** The sandbox's inotify accounting: instances and watches per user, the /proc/sys/fs/inotify limits. */
    public synchronized dev.jvisor.kernel.fs.inotify.InotifyLimits inotify() {
        if (inotify == null) {
            inotify = new dev.jvisor.kernel.fs.inotify.InotifyLimits(memory.allocator().capacity());
        }
        return inotify;
    }

    /** A new cookie tying a rename's IN_MOVED_FROM to its IN_MOVED_TO (never 0, like fsnotify_get_cookie). */
    public synchronized int nextFsnotifyCookie() {
        if (++fsnotifyCookie == 0) {
            fsnotifyCookie = 1;
        }
        return fsnotifyCookie;
    }

    /** A fresh device number for a new file system instance. */
    public synchronized long allocateDev() {
        return nextDev++;
    }

    public KernelRuntime runtime() {
        return runtime;
    }

    void setRuntime(KernelRuntime rt) {
        this.runtime = rt;
    }

    synchronized int allocateTid() {
        return nextTid++;
    }

    synchronized void addTask(Task t) {
        tasks.put(t.tid, t);
        t.threadGroup().tasks.add(t);
        groups.putIfAbsent(t.threadGroup().tgid, t.threadGroup());
    }

    synchronized void removeTask(Task t) {
        tasks.remove(t.tid);
        t.threadGroup().tasks.remove(t);
    }

    /** A new process with a fresh pid, child of {@code parent} (null for init). */
    synchronized ThreadGroup newThreadGroup(ThreadGroup parent) {
        ThreadGroup tg = new ThreadGroup(this, allocateTid(), parent);
        if (parent != null) {
            parent.children.add(tg);
            tg.pgid = parent.pgid;
            tg.sid = parent.sid;
        }
        return tg;
    }

    /** Forgets a reaped process. */
    synchronized void removeGroup(ThreadGroup tg) {
        groups.remove(tg.tgid);
        if (tg.parent != null) {
            tg.parent.children.remove(tg);
        }
    }

    synchronized int taskCount() {
        return tasks.size();
    }

    /** Calls {@code action} once for each address space in use (not under the kernel lock). */
    public void forEachMemoryManager(java.util.function.Consumer<dev.jvisor.kernel.mm.MemoryManager> action) {
        java.util.Set<dev.jvisor.kernel.mm.MemoryManager> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        synchronized (this) {
            tasks.values().forEach(t -> all.add(t.mm()));
        }
        all.forEach(action);
    }

    synchronized boolean anyTaskUses(dev.jvisor.kernel.mm.MemoryManager mm) {
        return tasks.values().stream().anyMatch(t -> t.mm() == mm);
    }

    synchronized boolean anyTaskUsesFds(dev.jvisor.kernel.vfs.FdTable fds) {
        return tasks.values().stream().anyMatch(t -> t.fds() == fds);
    }

    synchronized boolean anyOtherTaskUsesFds(Task me) {
        return tasks.values().stream().anyMatch(t -> t != me && t.fds() == me.fds());
    }

    public synchronized Task task(int tid) {
        return tasks.get(tid);
    }

    /** The process with this pid, zombie or not; null if there is none. */
    public synchronized ThreadGroup group(int tgid) {
        return groups.get(tgid);
    }

    public synchronized List<ThreadGroup> groups() {
        return new ArrayList<>(groups.values());
    }

    /** The foreground process group of the sandbox's terminal: what tcsetpgrp set, else init's group. */
    public synchronized int foregroundPgrp() {
        if (foregroundPgrp != 0 && groups.values().stream().anyMatch(g -> g.pgid == foregroundPgrp)) {
            return foregroundPgrp;
        }
        ThreadGroup init = groups.get(1);
        return init != null ? init.pgid : 1;
    }

    public synchronized void setForegroundPgrp(int pgid) {
        foregroundPgrp = pgid;
    }

    /** The sandbox's init (pid 1), or null once it has been reaped. */
    public synchronized ThreadGroup init() {
        return groups.get(1);
    }

    public synchronized List<Task> tasks() {
        return new ArrayList<>(tasks.values());
    }

    public synchronized ExitStatus exitStatus() {
        return exitStatus;
    }

    synchronized void setExitStatus(ExitStatus s) {
        if (exitStatus == null) {
            exitStatus = s;
        }
    }
}
