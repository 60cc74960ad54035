package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** /proc itself: the system-wide files, self, thread-self, sys, and a directory per process. */
public final class ProcRootDir extends ProcDir {
    private final LinkedHashMap<String, Inode> statics = new LinkedHashMap<>();

    ProcRootDir(ProcFs fs) {
        super(fs, fs.nextIno(), 0555, 0, 0);
        file("cpuinfo", ProcFile.Kind.CPUINFO);
        file("filesystems", ProcFile.Kind.FILESYSTEMS);
        file("loadavg", ProcFile.Kind.LOADAVG);
        file("meminfo", ProcFile.Kind.MEMINFO);
        statics.put("mounts", new ProcLink(fs, fs.nextIno(), ProcLink.Kind.TEXT, 0, 0, 0, "self/mounts"));
        file("stat", ProcFile.Kind.SYS_STAT);
        file("uptime", ProcFile.Kind.UPTIME);
        file("version", ProcFile.Kind.VERSION);
        statics.put("self", new ProcLink(fs, fs.nextIno(), ProcLink.Kind.SELF, 0, 0, 0, null));
        statics.put("thread-self", new ProcLink(fs, fs.nextIno(), ProcLink.Kind.THREAD_SELF, 0, 0, 0, null));
        StaticDir sys = new StaticDir(fs, fs.nextIno());
        statics.put("sys", sys);
        StaticDir kernel = sys.dir("kernel");
        kernel.file("hostname", ProcFile.Kind.HOSTNAME)
                .text("ngroups_max", "65536\n")
                .file("osrelease", ProcFile.Kind.OSRELEASE)
                .text("ostype", "Linux\n")
                .text("cap_last_cap", "40\n")
                .text("pid_max", "4194304\n")
                .text("threads-max", "127344\n")
                .text("overflowuid", "65534\n")
                .text("overflowgid", "65534\n")
                .file("version", ProcFile.Kind.KERNEL_VERSION);
        kernel.dir("random")
                .file("boot_id", ProcFile.Kind.BOOT_ID)
                .file("uuid", ProcFile.Kind.UUID)
                .text("entropy_avail", "256\n")
                .text("poolsize", "256\n");
        sys.dir("vm")
                .text("overcommit_memory", "0\n")
                .text("overcommit_ratio", "50\n")
                .text("max_map_count", "65530\n")
                .text("mmap_min_addr", "65536\n");
        StaticDir fsDir = sys.dir("fs")
                .text("file-max", "9223372036854775807\n")
                .text("nr_open", "1048576\n")
                .text("pipe-max-size", dev.jvisor.kernel.fs.pipe.Pipe.MAX_SIZE + "\n");
        fsDir.dir("inotify")
                .text("max_queued_events", dev.jvisor.kernel.fs.inotify.InotifyLimits.MAX_QUEUED_EVENTS + "\n")
                .text("max_user_instances", dev.jvisor.kernel.fs.inotify.InotifyLimits.MAX_USER_INSTANCES + "\n")
                .file("max_user_watches", ProcFile.Kind.INOTIFY_WATCHES);
        sys.dir("net").dir("core").text("somaxconn", "4096\n");
    }

    private void file(String name, ProcFile.Kind kind) {
        ProcFs fs = procFs();
        statics.put(name, new ProcFile(fs, fs.nextIno(), kind, 0, 0, 0, 0444, 0, 0));
    }

    @Override
    List<String> names(Task t) {
        List<String> out = new ArrayList<>(statics.keySet());
        for (int id : ProcFs.tgids(t)) {
            out.add(Integer.toString(id));
        }
        return out;
    }

    @Override
    Inode child(Task t, String name) {
        Inode s = statics.get(name);
        if (s != null) {
            return s;
        }
        int id = PidDir.parseId(name);
        if (id <= 0 || t == null) {
            return null;
        }
        Task leader = ProcFs.groupTask(t, id);
        if (leader != null && leader.threadGroup().tgid == id) {
            return new PidDir(procFs(), leader, id, 0);
        }
        // Like Linux, /proc/TID of a thread that is not a leader exists but is not listed.
        for (Task o : t.kernel.tasks()) {
            if (o.tid == id && !o.exited()) {
                return new PidDir(procFs(), o, o.threadGroup().tgid, id);
            }
        }
        return null;
    }
}
