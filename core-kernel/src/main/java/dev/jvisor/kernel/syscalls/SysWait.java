package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Processes;
import dev.jvisor.kernel.SigInfo;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Waiting for children: wait4 and waitid. */
final class SysWait {
    private SysWait() {}

    private static final int WALL = 0x40000000, WCLONE = 0x80000000, WNOTHREAD = 0x20000000;
    private static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

    /** wait4(2) */
    static long wait4(Task t, SyscallArgs a) {
        int pid = (int) a.a0;
        int options = (int) a.a2;
        if ((options & ~(Processes.WNOHANG | Processes.WUNTRACED | Processes.WCONTINUED | WALL | WCLONE | WNOTHREAD)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (pid == Integer.MIN_VALUE) {
            throw new SyscallException(Errno.ESRCH);
        }
        Processes.WaitSpec spec = pid > 0 ? new Processes.WaitSpec(pid, 0)
                : pid == -1 ? new Processes.WaitSpec(-1, 0)
                : new Processes.WaitSpec(-1, pid == 0 ? t.threadGroup().pgid : -pid);
        Processes.WaitResult r = Processes.await(t, spec, options | Processes.WEXITED);
        if (r == null) {
            return 0;
        }
        if (a.a1 != 0) {
            t.mm().writeInt(a.a1, r.status());
        }
        if (a.a3 != 0) {
            t.mm().copyOut(a.a3, new byte[144], 0, 144); // struct rusage: times are not accounted per child yet
        }
        return r.pid();
    }

    /** waitid(2) */
    static long waitid(Task t, SyscallArgs a) {
        int idtype = (int) a.a0;
        int id = (int) a.a1;
        int options = (int) a.a3;
        if ((options & ~(Processes.WNOHANG | Processes.WUNTRACED | Processes.WEXITED | Processes.WCONTINUED
                | Processes.WNOWAIT | WALL | WCLONE | WNOTHREAD)) != 0
                || (options & (Processes.WEXITED | Processes.WUNTRACED | Processes.WCONTINUED)) == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Processes.WaitSpec spec = switch (idtype) {
            case P_ALL -> new Processes.WaitSpec(-1, 0);
            case P_PID -> {
                if (id <= 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                yield new Processes.WaitSpec(id, 0);
            }
            case P_PGID -> {
                if (id < 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                yield new Processes.WaitSpec(-1, id == 0 ? t.threadGroup().pgid : id);
            }
            case P_PIDFD -> throw new SyscallException(Errno.EBADF);
            default -> throw new SyscallException(Errno.EINVAL);
        };
        Processes.WaitResult r = Processes.await(t, spec, options);
        if (a.a2 != 0) {
            if (r == null) {
                t.mm().copyOut(a.a2, new byte[SigInfo.SIZE], 0, SigInfo.SIZE);
            } else {
                int status = switch (r.why()) {
                    case SigInfo.CLD_EXITED -> (r.status() >> 8) & 0xff;
                    case SigInfo.CLD_KILLED, SigInfo.CLD_DUMPED -> r.status() & 0x7f;
                    case SigInfo.CLD_STOPPED -> (r.status() >> 8) & 0xff;
                    default -> 18; // SIGCONT
                };
                byte[] info = SigInfo.child(17, r.why(), r.pid(), r.uid(), status, 0, 0).bytes();
                t.mm().copyOut(a.a2, info, 0, info.length);
            }
        }
        if (a.a4 != 0) {
            t.mm().copyOut(a.a4, new byte[144], 0, 144);
        }
        return 0;
    }
}
