package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.fs.epoll.EpollFile.EPOLLEXCLUSIVE;
import static dev.jvisor.kernel.fs.epoll.EpollFile.EPOLLWAKEUP;
import static dev.jvisor.kernel.fs.epoll.EpollFile.EXCLUSIVE_OK_BITS;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.epoll.EpollFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.ReadinessWait;

/**
 * epoll(7): epoll_create(2), epoll_create1(2), epoll_ctl(2), epoll_wait(2), epoll_pwait(2) and
 * epoll_pwait2(2), with fs/eventpoll.c's checks in its order. A wait interrupted by a checkpoint
 * resumes through restart_syscall with its original deadline; interrupted by a signal whose handler
 * runs, it fails with EINTR (restart_syscall blocks turn into EINTR there), as epoll_wait never
 * restarts after a handler.
 */
final class SysEpoll {
    private SysEpoll() {}

    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    /** INT_MAX / sizeof(struct epoll_event) (EP_MAX_EVENTS). */
    private static final int MAX_EVENTS = Integer.MAX_VALUE / EpollFile.EVENT_SIZE;
    /** The end of the user address space (x86-64 TASK_SIZE): access_ok's limit. */
    private static final long TASK_SIZE = 0x7ffffffff000L;

    /** epoll_create(2): the size hint must be positive. */
    static long epollCreate(Task t, SyscallArgs a) {
        if ((int) a.a0 <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return create(t, 0);
    }

    /** epoll_create1(2): EPOLL_CLOEXEC only. */
    static long epollCreate1(Task t, SyscallArgs a) {
        int flags = (int) a.a0;
        if ((flags & ~FileMode.O_CLOEXEC) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return create(t, flags);
    }

    private static long create(Task t, int flags) {
        EpollFile ep = new EpollFile(t.kernel.clock(), FileMode.O_RDWR);
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        return t.fds().install(ep, 0, (flags & FileMode.O_CLOEXEC) != 0, limit);
    }

    /** epoll_ctl(2) */
    static long epollCtl(Task t, SyscallArgs a) {
        int op = (int) a.a1;
        int fd = (int) a.a2;
        int events = 0;
        long data = 0;
        if (op != EPOLL_CTL_DEL) {
            byte[] ev = t.mm().read(a.a3, EpollFile.EVENT_SIZE);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ev).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            events = b.getInt(0);
            data = b.getLong(4);
        }
        FileDescription epf = SysPoll.pollFile(t.fds(), (int) a.a0);
        FileDescription target = SysPoll.pollFile(t.fds(), fd);
        if (epf == null || target == null) {
            throw new SyscallException(Errno.EBADF);
        }
        if (!target.pollable()) {
            throw new SyscallException(Errno.EPERM);
        }
        if (op != EPOLL_CTL_DEL && (events & EPOLLWAKEUP) != 0 && t.threadGroup().creds.euid != 0) {
            events &= ~EPOLLWAKEUP; // without CAP_BLOCK_SUSPEND the flag is dropped silently
        }
        if (epf == target || !(epf instanceof EpollFile ep)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (op != EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE) != 0) {
            if (op == EPOLL_CTL_MOD) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (op == EPOLL_CTL_ADD && (target instanceof EpollFile || (events & ~EXCLUSIVE_OK_BITS) != 0)) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
        switch (op) {
            case EPOLL_CTL_ADD -> ep.add(fd, target, events, data);
            case EPOLL_CTL_DEL -> ep.delete(fd, target);
            case EPOLL_CTL_MOD -> ep.modify(fd, target, events, data);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    /** epoll_wait(2) */
    static long epollWait(Task t, SyscallArgs a) {
        return waitRestarting(t, (int) a.a0, a.a1, (int) a.a2, WaitTimes.deadlineMillis(t, (int) a.a3), null);
    }

    /** epoll_pwait(2): epoll_wait with a signal mask for the wait. */
    static long epollPwait(Task t, SyscallArgs a) {
        Long mask = WaitTimes.readSigmask(t, a.a4, a.a5);
        return waitRestarting(t, (int) a.a0, a.a1, (int) a.a2, WaitTimes.deadlineMillis(t, (int) a.a3), mask);
    }

    /** epoll_pwait2(2): a timespec timeout (NULL: none) instead of milliseconds. */
    static long epollPwait2(Task t, SyscallArgs a) {
        long deadline = WaitTimes.NEVER;
        if (a.a3 != 0) {
            long[] ts = WaitTimes.readTimespec(t, a.a3);
            deadline = WaitTimes.deadline(t, ts[0], ts[1]);
        }
        Long mask = WaitTimes.readSigmask(t, a.a4, a.a5);
        return waitRestarting(t, (int) a.a0, a.a1, (int) a.a2, deadline, mask);
    }

    static long waitRestarting(Task t, int epfd, long events, int maxEvents, long deadline, Long mask) {
        long r = WaitTimes.withMask(t, mask, () -> doWait(t, epfd, events, maxEvents, deadline));
        if (r == -Errno.EINTR) {
            t.restart = new EpollWaitRestart(epfd, events, maxEvents, deadline, mask);
            return -Errno.ERESTART_RESTARTBLOCK;
        }
        return r;
    }

    /** do_epoll_wait: the number of events written, or -EINTR when interrupted. */
    private static long doWait(Task t, int epfd, long events, int maxEvents, long deadline) {
        FileDescription f = SysPoll.pollFile(t.fds(), epfd);
        if (f == null) {
            throw new SyscallException(Errno.EBADF);
        }
        if (maxEvents <= 0 || maxEvents > MAX_EVENTS) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = events + (long) maxEvents * EpollFile.EVENT_SIZE;
        if (events < 0 || end > TASK_SIZE || end < events) {
            throw new SyscallException(Errno.EFAULT);
        }
        if (!(f instanceof EpollFile ep)) {
            throw new SyscallException(Errno.EINVAL);
        }
        int[] n = new int[1];
        ReadinessWait.Outcome o;
        try (ReadinessWait w = new ReadinessWait(t)) {
            w.watch(ep.queue());
            o = w.await(deadline, wait -> {
                n[0] = ep.harvest(t, events, maxEvents);
                if (n[0] > 0) {
                    return true;
                }
                wait.changeAt(ep.nextDeadline());
                return false;
            });
        }
        return o == ReadinessWait.Outcome.INTERRUPTED ? -Errno.EINTR : n[0];
    }
}
