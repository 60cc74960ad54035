package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Processes;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.util.ArrayList;
import java.util.List;

/** Creating tasks and replacing images: clone, clone3, fork, vfork, execve, execveat. */
final class SysClone {
    private SysClone() {}

    private static final int SIGCHLD = 17, MAX_ARG_STRINGS = 0x7fffffff, MAX_ARG_STRLEN = 131072;
    private static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;

    /** clone(2), x86-64 argument order: flags, stack, parent_tid, child_tid, tls. */
    static long clone(Task t, SyscallArgs a) {
        return Processes.clone(t, a.a0 & ~0xffL, a.a1, a.a2, a.a3, a.a4, (int) (a.a0 & 0xff));
    }

    /** clone3(2): struct clone_args {flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, ...}. */
    static long clone3(Task t, SyscallArgs a) {
        if (a.a1 < 64 || a.a1 > 4096) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] b = t.mm().read(a.a0, (int) a.a1);
        java.nio.ByteBuffer args = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = args.getLong(0);
        long childTid = args.getLong(16), parentTid = args.getLong(24), exitSignal = args.getLong(32);
        long stack = args.getLong(40), stackSize = args.getLong(48), tls = args.getLong(56);
        for (int i = 64; i < b.length; i++) {
            if (b[i] != 0) {
                throw new SyscallException(i < 88 ? Errno.EINVAL : Errno.E2BIG); // set_tid, cgroup
            }
        }
        if ((flags & 0xff) != 0 || exitSignal > 64 || (stack == 0) != (stackSize == 0)
                || (flags & Processes.CLONE_PIDFD) != 0) {
            throw new SyscallException((flags & Processes.CLONE_PIDFD) != 0 ? Errno.ENOSYS : Errno.EINVAL);
        }
        return Processes.clone(t, flags, stack == 0 ? 0 : stack + stackSize, parentTid, childTid, tls, (int) exitSignal);
    }

    /** fork(2) */
    static long fork(Task t, SyscallArgs a) {
        return Processes.clone(t, 0, 0, 0, 0, 0, SIGCHLD);
    }

    /** vfork(2) */
    static long vfork(Task t, SyscallArgs a) {
        return Processes.clone(t, Processes.CLONE_VM | Processes.CLONE_VFORK, 0, 0, 0, 0, SIGCHLD);
    }

    /** execve(2) */
    static long execve(Task t, SyscallArgs a) {
        String path = t.mm().readCString(a.a0, 4096);
        Processes.exec(t, path, strings(t, a.a1), strings(t, a.a2));
        return 0;
    }

    /** execveat(2): a path relative to a directory fd, or the fd itself with AT_EMPTY_PATH. */
    static long execveat(Task t, SyscallArgs a) {
        if ((a.a4 & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String path = t.mm().readCString(a.a1, 4096);
        int dirfd = (int) a.a0;
        if (path.isEmpty()) {
            if ((a.a4 & AT_EMPTY_PATH) == 0) {
                throw new SyscallException(Errno.ENOENT);
            }
            t.fds().get(dirfd);
            path = "/proc/self/fd/" + dirfd;
        } else if (!path.startsWith("/") && dirfd != AT_FDCWD) {
            t.fds().get(dirfd);
            path = "/proc/self/fd/" + dirfd + "/" + path;
        }
        Processes.exec(t, path, strings(t, a.a2), strings(t, a.a3));
        return 0;
    }

    /** A NULL-terminated array of string pointers (argv, envp); a NULL array is empty. */
    private static List<String> strings(Task t, long addr) {
        List<String> out = new ArrayList<>();
        if (addr == 0) {
            return out;
        }
        for (int i = 0; i < MAX_ARG_STRINGS; i++) {
            long p = t.mm().readLong(addr + 8L * i);
            if (p == 0) {
                return out;
            }
            try {
                out.add(t.mm().readCString(p, MAX_ARG_STRLEN));
            } catch (SyscallException e) {
                throw new SyscallException(e.errno == Errno.ENAMETOOLONG ? Errno.E2BIG : e.errno);
            }
        }
        throw new SyscallException(Errno.E2BIG);
    }
}
