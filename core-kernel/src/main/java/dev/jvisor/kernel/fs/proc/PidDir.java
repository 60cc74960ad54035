package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID (tid 0) or /proc/PID/task/TID: a process's or a thread's files. Entries exist while the
 * thread group (or thread) does.
 */
public final class PidDir extends ProcDir {
    /** Entry names; the index + 1 is the entry's slot in its inode number. */
    private static final String[] ENTRIES = {"auxv", "cgroup", "cmdline", "comm", "cwd", "environ", "exe", "fd",
        "fdinfo", "limits", "maps", "mountinfo", "mounts", "root", "stat", "statm", "status", "task"};
    private final int tgid;
    private final int tid;

    PidDir(ProcFs fs, Task owner, int tgid, int tid) {
        super(fs, ProcFs.ino(tid == 0 ? tgid : tid, tid == 0 ? 0 : 0x80, 0), 0555, owner.threadGroup().creds.euid,
                owner.threadGroup().creds.egid);
        this.tgid = tgid;
        this.tid = tid;
    }

    /** A decimal process id with no sign or leading zero, or -1. */
    static int parseId(String name) {
        if (name.isEmpty() || name.length() > 9 || name.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private Task subject(Task t) {
        return tid == 0 ? ProcFs.groupTask(t, tgid) : ProcFs.thread(t, tgid, tid);
    }

    @Override
    List<String> names(Task t) {
        List<String> out = new ArrayList<>();
        for (String e : ENTRIES) {
            if (tid == 0 || !e.equals("task")) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    Inode child(Task t, String name) {
        Task s = t == null ? null : subject(t);
        if (s == null) {
            return null;
        }
        int slot = -1;
        for (int i = 0; i < ENTRIES.length; i++) {
            if (ENTRIES[i].equals(name)) {
                slot = i + 1;
            }
        }
        if (slot < 0 || tid != 0 && name.equals("task")) {
            return null;
        }
        int id = tid == 0 ? tgid : tid;
        long ino = ProcFs.ino(id, tid == 0 ? slot : 0x80 + slot, 0);
        int uid = s.threadGroup().creds.euid;
        int gid = s.threadGroup().creds.egid;
        ProcFs fs = procFs();
        return switch (name) {
            case "fd" -> new FdDir(fs, ino, tgid, false, uid, gid);
            case "fdinfo" -> new FdDir(fs, ino, tgid, true, uid, gid);
            case "task" -> new TaskDir(fs, ino, tgid, uid, gid);
            case "exe" -> new ProcLink(fs, ino, ProcLink.Kind.EXE, tgid, tid, 0, null, 0777, uid, gid);
            case "cwd" -> new ProcLink(fs, ino, ProcLink.Kind.CWD, tgid, tid, 0, null, 0777, uid, gid);
            case "root" -> new ProcLink(fs, ino, ProcLink.Kind.ROOT, tgid, tid, 0, null, 0777, uid, gid);
            default -> {
                ProcFile.Kind kind = switch (name) {
                    case "auxv" -> ProcFile.Kind.AUXV;
                    case "cgroup" -> ProcFile.Kind.CGROUP;
                    case "cmdline" -> ProcFile.Kind.CMDLINE;
                    case "comm" -> ProcFile.Kind.COMM;
                    case "environ" -> ProcFile.Kind.ENVIRON;
                    case "limits" -> ProcFile.Kind.LIMITS;
                    case "maps" -> ProcFile.Kind.MAPS;
                    case "mountinfo" -> ProcFile.Kind.MOUNTINFO;
                    case "mounts" -> ProcFile.Kind.MOUNTS;
                    case "stat" -> ProcFile.Kind.STAT;
                    case "statm" -> ProcFile.Kind.STATM;
                    default -> ProcFile.Kind.STATUS;
                };
                int perm = switch (kind) {
                    case AUXV, ENVIRON -> 0400;
                    case COMM -> 0644;
                    default -> 0444;
                };
                yield new ProcFile(fs, ino, kind, tgid, tid, 0, perm, uid, gid);
            }
        };
    }
}
