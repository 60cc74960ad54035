package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.RestartBlock;
import dev.jvisor.kernel.Task;

/** A sleep to resume with the same absolute deadline on the sandbox's monotonic clock. */
public final class SleepRestart implements RestartBlock {
    private final long deadline;

    public SleepRestart(long deadline) {
        this.deadline = deadline;
    }

    @Override
    public long restart(Task t) {
        return SysTime.sleepUntil(t, deadline);
    }
}
