package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The sandbox's /proc. Everything is generated from the kernel's state when it is looked up or
 * opened: /proc/PID for every thread group in {@code Kernel.tasks()}, self and thread-self, the
 * system-wide files (cpuinfo, meminfo, stat, uptime...), and a small /proc/sys. Directories are
 * {@link dev.jvisor.kernel.vfs.DynamicDirectory dynamic}: nothing of a process outlives it in the
 * dentry cache. An open file holds a snapshot of its contents (see {@link ProcFileDescription}), so
 * the whole file system is plain state and checkpoints with the rest of the kernel.
 *
 * <p>Inode numbers are stable: the static entries number from 1 as they are created, the entries of
 * a process are {@code pid << 32 | entry << 24 | n} (see {@link #ino}).
 */
public final class ProcFs extends FileSystem {
    private final CpuIdentity cpu;
    /** /proc/sys/kernel/random/boot_id: fixed for the sandbox's life, across checkpoints. */
    private final String bootId;
    private final ProcRootDir root;

    public ProcFs(long dev, CpuIdentity cpu) {
        super(dev);
        this.cpu = cpu;
        this.bootId = UUID.randomUUID().toString();
        this.root = new ProcRootDir(this);
    }

    @Override
    public String type() {
        return "proc";
    }

    @Override
    public long magic() {
        return 0x9fa0L; // PROC_SUPER_MAGIC
    }

    @Override
    public Inode root() {
        return root;
    }

    public CpuIdentity cpu() {
        return cpu;
    }

    String bootId() {
        return bootId;
    }

    /** The inode number of entry {@code entry} (n: an fd or 0) of process or thread {@code id}. */
    static long ino(int id, int entry, int n) {
        return ((long) id << 32) | ((long) (entry & 0xff) << 24) | (n & 0xffffff);
    }

    // ---- finding tasks ----------------------------------------------------------------------------

    /** A live thread of thread group {@code tgid}, the leader if it still runs; null if none. */
    static Task groupTask(Task caller, int tgid) {
        Task any = null;
        for (Task o : caller.kernel.tasks()) {
            if (o.threadGroup().tgid == tgid && !o.exited()) {
                if (o.tid == tgid) {
                    return o;
                }
                if (any == null) {
                    any = o;
                }
            }
        }
        return any;
    }

    /** The live thread {@code tid} of group {@code tgid}, or null. */
    static Task thread(Task caller, int tgid, int tid) {
        for (Task o : caller.kernel.tasks()) {
            if (o.tid == tid && o.threadGroup().tgid == tgid && !o.exited()) {
                return o;
            }
        }
        return null;
    }

    /** The thread group ids of the live processes, ascending. */
    static List<Integer> tgids(Task caller) {
        List<Integer> ids = new ArrayList<>();
        for (Task o : caller.kernel.tasks()) {
            int id = o.threadGroup().tgid;
            if (!o.exited() && !ids.contains(id)) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The live threads of a group, by tid. */
    static List<Task> threads(Task caller, int tgid) {
        List<Task> out = new ArrayList<>();
        for (Task o : caller.kernel.tasks()) {
            if (o.threadGroup().tgid == tgid && !o.exited()) {
                out.add(o);
            }
        }
        out.sort((a, b) -> Integer.compare(a.tid, b.tid));
        return out;
    }
}
