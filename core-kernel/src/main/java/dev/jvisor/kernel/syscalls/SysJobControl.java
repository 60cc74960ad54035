package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.ThreadGroup;

/** The process tree as programs see it: getppid, process groups and sessions. */
final class SysJobControl {
    private SysJobControl() {}

    /** getppid(2): the sandbox's init has no parent inside the sandbox. */
    static long getppid(Task t, SyscallArgs a) {
        synchronized (t.kernel) {
            return t.threadGroup().ppid();
        }
    }

    private static ThreadGroup target(Task t, int pid) {
        if (pid == 0) {
            return t.threadGroup();
        }
        ThreadGroup tg = t.kernel.group(pid);
        if (tg == null || pid < 0) {
            throw new SyscallException(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
        }
        return tg;
    }

    /** getpgid(2) */
    static long getpgid(Task t, SyscallArgs a) {
        synchronized (t.kernel) {
            return target(t, (int) a.a0).pgid;
        }
    }

    /** getpgrp(2) */
    static long getpgrp(Task t, SyscallArgs a) {
        synchronized (t.kernel) {
            return t.threadGroup().pgid;
        }
    }

    /** getsid(2) */
    static long getsid(Task t, SyscallArgs a) {
        synchronized (t.kernel) {
            return target(t, (int) a.a0).sid;
        }
    }

    /** setpgid(2): a process may move itself or a child (that has not exec'd) within its session. */
    static long setpgid(Task t, SyscallArgs a) {
        int pgid = (int) a.a1;
        if (pgid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        synchronized (t.kernel) {
            ThreadGroup me = t.threadGroup();
            ThreadGroup p = target(t, (int) a.a0);
            if (p != me && p.parent() != me) {
                throw new SyscallException(Errno.ESRCH);
            }
            if (p.sid != me.sid) {
                throw new SyscallException(Errno.EPERM);
            }
            if (p.sid == p.tgid) {
                throw new SyscallException(Errno.EPERM); // a session leader
            }
            int target = pgid == 0 ? p.tgid : pgid;
            if (target != p.tgid && t.kernel.groups().stream().noneMatch(g -> g.pgid == target && g.sid == me.sid)) {
                throw new SyscallException(Errno.EPERM);
            }
            p.pgid = target;
            return 0;
        }
    }

    /** setsid(2) */
    static long setsid(Task t, SyscallArgs a) {
        synchronized (t.kernel) {
            ThreadGroup me = t.threadGroup();
            int id = me.tgid;
            if (t.kernel.groups().stream().anyMatch(g -> g.pgid == id)) {
                throw new SyscallException(Errno.EPERM);
            }
            me.sid = id;
            me.pgid = id;
            return id;
        }
    }
}
