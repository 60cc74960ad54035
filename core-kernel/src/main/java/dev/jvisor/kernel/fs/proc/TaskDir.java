package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.List;

/** /proc/PID/task: a directory per thread of the process. */
public final class TaskDir extends ProcDir {
    private final int tgid;

    TaskDir(ProcFs fs, long ino, int tgid, int uid, int gid) {
        super(fs, ino, 0555, uid, gid);
        this.tgid = tgid;
    }

    @Override
    List<String> names(Task t) {
        List<String> out = new ArrayList<>();
        if (t != null) {
            for (Task o : ProcFs.threads(t, tgid)) {
                out.add(Integer.toString(o.tid));
            }
        }
        return out;
    }

    @Override
    Inode child(Task t, String name) {
        int tid = PidDir.parseId(name);
        Task s = tid <= 0 || t == null ? null : ProcFs.thread(t, tgid, tid);
        return s == null ? null : new PidDir(procFs(), s, tgid, tid);
    }
}
