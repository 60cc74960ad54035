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
    private int nextTid = 1;
    private final MonotonicClock clock = new MonotonicClock();
    /** The CPU feature words the app was shown (recorded in snapshots, checked on restore). */
    private final Map<String, String> cpuFeatures;
    private final String hostname;
    private ExitStatus exitStatus;
    private dev.jvisor.kernel.vfs.MountNamespace mounts;
    private long nextDev = 0x100;
    private dev.jvisor.kernel.fs.tmpfs.MemFs memfdFs;
    private dev.jvisor.kernel.fs.pipe.PipeFs pipeFs;
    private transient KernelRuntime runtime;

    public Kernel(MemoryFile memory, Map<String, String> cpuFeatures, String hostname) {
        this.memory = memory;
        this.cpuFeatures = new LinkedHashMap<>(cpuFeatures);
        this.hostname = hostname;
    }

    public MemoryFile memory() {
        return memory;
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
    }

    synchronized void removeTask(Task t) {
        tasks.remove(t.tid);
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
