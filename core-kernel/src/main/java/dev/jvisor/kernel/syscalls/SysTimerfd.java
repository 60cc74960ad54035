package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.CLOCK_BOOTTIME;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.CLOCK_BOOTTIME_ALARM;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.CLOCK_MONOTONIC;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.CLOCK_REALTIME;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.CLOCK_REALTIME_ALARM;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.TFD_TIMER_ABSTIME;
import static dev.jvisor.kernel.fs.timerfd.TimerFdFile.TFD_TIMER_CANCEL_ON_SET;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.timerfd.TimerFdFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;

/** timerfd_create(2), timerfd_settime(2), timerfd_gettime(2), with fs/timerfd.c's checks. */
final class SysTimerfd {
    private SysTimerfd() {}

    private static final long NANOS = 1_000_000_000L;

    /** timerfd_create(2): the clocks Linux allows; the alarm clocks need CAP_WAKE_ALARM (root here). */
    static long timerfdCreate(Task t, SyscallArgs a) {
        int clock = (int) a.a0;
        int flags = (int) a.a1;
        if ((flags & ~(FileMode.O_CLOEXEC | FileMode.O_NONBLOCK)) != 0 || clock != CLOCK_MONOTONIC
                && clock != CLOCK_REALTIME && clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME
                && clock != CLOCK_BOOTTIME_ALARM) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) && t.threadGroup().creds.euid != 0) {
            throw new SyscallException(Errno.EPERM);
        }
        TimerFdFile f = new TimerFdFile(clock, t.kernel.clock(), FileMode.O_RDWR | (flags & FileMode.O_NONBLOCK));
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        return t.fds().install(f, 0, (flags & FileMode.O_CLOEXEC) != 0, limit);
    }

    private static TimerFdFile timer(Task t, int fd) {
        FileDescription f = SysPoll.pollFile(t.fds(), fd);
        if (f == null) {
            throw new SyscallException(Errno.EBADF);
        }
        if (!(f instanceof TimerFdFile tf)) {
            throw new SyscallException(Errno.EINVAL);
        }
        return tf;
    }

    /** timerfd_settime(2) */
    static long timerfdSettime(Task t, SyscallArgs a) {
        int flags = (int) a.a1;
        long isec = t.mm().readLong(a.a2), insec = t.mm().readLong(a.a2 + 8);
        long vsec = t.mm().readLong(a.a2 + 16), vnsec = t.mm().readLong(a.a2 + 24);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0 || !valid(isec, insec) || !valid(vsec, vnsec)) {
            throw new SyscallException(Errno.EINVAL);
        }
        TimerFdFile tf = timer(t, (int) a.a0);
        long[] old = tf.set(flags, nanos(vsec, vnsec), nanos(isec, insec));
        if (a.a3 != 0) {
            writeItimerspec(t, a.a3, old);
        }
        return 0;
    }

    /** timerfd_gettime(2) */
    static long timerfdGettime(Task t, SyscallArgs a) {
        TimerFdFile tf = timer(t, (int) a.a0);
        writeItimerspec(t, a.a1, tf.get());
        return 0;
    }

    private static boolean valid(long sec, long nsec) {
        return sec >= 0 && nsec >= 0 && nsec < NANOS;
    }

    private static long nanos(long sec, long nsec) {
        return sec > (Long.MAX_VALUE - nsec) / NANOS ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    /** struct itimerspec: it_interval, then it_value; {@code v} is {value, interval}. */
    private static void writeItimerspec(Task t, long addr, long[] v) {
        byte[] b = new byte[32];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(v[1] / NANOS).putLong(v[1] % NANOS).putLong(v[0] / NANOS).putLong(v[0] % NANOS);
        t.mm().copyOut(addr, b, 0, 32);
    }
}
