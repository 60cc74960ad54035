package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.RestartBlock;
import dev.jvisor.kernel.Task;

/** An interrupted poll(2) resumed by restart_syscall with its original deadline (Linux's do_restart_poll). */
public final class PollRestart implements RestartBlock {
    private final long ufds;
    private final long nfds;
    private final long deadline;

    PollRestart(long ufds, long nfds, long deadline) {
        this.ufds = ufds;
        this.nfds = nfds;
        this.deadline = deadline;
    }

    @Override
    public long restart(Task t) {
        return SysPoll.pollRestarting(t, ufds, nfds, deadline);
    }
}
