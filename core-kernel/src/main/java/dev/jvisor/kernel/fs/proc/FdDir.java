package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** /proc/PID/fd (a magic link per open fd) or /proc/PID/fdinfo (a file per open fd). */
public final class FdDir extends ProcDir {
    private final int tgid;
    private final boolean info;

    FdDir(ProcFs fs, long ino, int tgid, boolean info, int uid, int gid) {
        super(fs, ino, info ? 0555 : 0500, uid, gid);
        this.tgid = tgid;
        this.info = info;
    }

    private Map<Integer, FileDescription> open(Task t) {
        Task s = t == null ? null : ProcFs.groupTask(t, tgid);
        return s == null ? Map.of() : s.fds().snapshot();
    }

    /** Like Linux, the fd directory's size is the number of open fds. */
    @Override
    public long size(Task t) {
        return info ? 0 : open(t).size();
    }

    @Override
    List<String> names(Task t) {
        List<String> out = new ArrayList<>();
        for (int fd : open(t).keySet()) {
            out.add(Integer.toString(fd));
        }
        return out;
    }

    @Override
    Inode child(Task t, String name) {
        int fd = name.equals("0") ? 0 : PidDir.parseId(name);
        if (fd < 0) {
            return null;
        }
        FileDescription f = open(t).get(fd);
        if (f == null) {
            return null;
        }
        ProcFs fs = procFs();
        long ino = ProcFs.ino(tgid, info ? 0x41 : 0x40, fd);
        if (info) {
            return new ProcFile(fs, ino, ProcFile.Kind.FDINFO, tgid, 0, fd, 0444, uid, gid);
        }
        // lr-x, l-wx or lrwx, as Linux shows the access mode of the open file.
        int flags = f.flags();
        int perm = (FileMode.readable(flags) ? 0500 : 0) | (FileMode.writable(flags) ? 0300 : 0);
        return new ProcLink(fs, ino, ProcLink.Kind.FD, tgid, 0, fd, null, perm, uid, gid);
    }
}
