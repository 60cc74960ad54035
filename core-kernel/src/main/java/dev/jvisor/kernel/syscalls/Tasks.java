package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Finds the task a pid/tid argument names, as Linux's find_task_by_vpid (0 is the caller). */
final class Tasks {
    private Tasks() {}

    /** The task with thread id {@code tid} (0: the caller); ESRCH if there is none. */
    static Task byTid(Task self, int tid) {
        if (tid == 0 || tid == self.tid) {
            return self;
        }
        Task o = tid > 0 ? self.kernel.task(tid) : null;
        if (o == null || o.exited()) {
            throw new SyscallException(Errno.ESRCH);
        }
        return o;
    }
}
