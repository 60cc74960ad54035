package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.RestartBlock;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.futex.Deadline;

/**
 * A FUTEX_WAIT with a timeout, interrupted (by a checkpoint or a signal): restart_syscall(2) waits
 * again with the same absolute deadline, as Linux's futex_wait_restart does, so a relative timeout
 * is not started over after a long checkpoint.
 */
public final class FutexWaitRestart implements RestartBlock {
    private final long addr;
    private final int val;
    private final int bitset;
    private final boolean shared;
    private final long deadline;
    private final boolean realtime;

    FutexWaitRestart(long addr, int val, int bitset, boolean shared, Deadline deadline) {
        this.addr = addr;
        this.val = val;
        this.bitset = bitset;
        this.shared = shared;
        this.deadline = deadline.nanos();
        this.realtime = deadline.realtime();
    }

    @Override
    public long restart(Task t) {
        return SysFutex.waitWithRestart(t, addr, val, bitset, shared, new Deadline(deadline, realtime));
    }
}
