package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.RestartBlock;
import dev.jvisor.kernel.Task;

/**
 * An epoll_wait family call interrupted before any event (a checkpoint): resumed by restart_syscall
 * with the same deadline and signal mask, so the app never sees the interruption.
 */
public final class EpollWaitRestart implements RestartBlock {
    private final int epfd;
    private final long events;
    private final int maxEvents;
    private final long deadline;
    /** The wait's signal mask (epoll_pwait), or null. */
    private final Long mask;

    EpollWaitRestart(int epfd, long events, int maxEvents, long deadline, Long mask) {
        this.epfd = epfd;
        this.events = events;
        this.maxEvents = maxEvents;
        this.deadline = deadline;
        this.mask = mask;
    }

    @Override
    public long restart(Task t) {
        return SysEpoll.waitRestarting(t, epfd, events, maxEvents, deadline, mask);
    }
}
