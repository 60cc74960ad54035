package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.eventfd.EventFdFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import java.util.HashSet;
import java.util.Set;

/** eventfd(2) and eventfd2(2). */
final class SysEventfd {
    private SysEventfd() {}

    static final int EFD_SEMAPHORE = 1;

    /** eventfd(2): eventfd2 without flags. */
    static long eventfd(Task t, SyscallArgs a) {
        return create(t, a.a0 & 0xffffffffL, 0);
    }

    /** eventfd2(2): EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC. */
    static long eventfd2(Task t, SyscallArgs a) {
        int flags = (int) a.a1;
        if ((flags & ~(EFD_SEMAPHORE | FileMode.O_NONBLOCK | FileMode.O_CLOEXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return create(t, a.a0 & 0xffffffffL, flags);
    }

    private static long create(Task t, long initial, int flags) {
        EventFdFile f = new EventFdFile(initial, (flags & EFD_SEMAPHORE) != 0,
                FileMode.O_RDWR | (flags & FileMode.O_NONBLOCK), freeId(t));
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        return t.fds().install(f, 0, (flags & FileMode.O_CLOEXEC) != 0, limit);
    }

    /** The eventfd-id fdinfo shows: the lowest one no eventfd of the process uses (Linux's IDA is global). */
    private static int freeId(Task t) {
        Set<Integer> used = new HashSet<>();
        for (FileDescription f : t.fds().snapshot().values()) {
            if (f instanceof EventFdFile e) {
                used.add(e.id());
            }
        }
        int id = 0;
        while (used.contains(id)) {
            id++;
        }
        return id;
    }
}
