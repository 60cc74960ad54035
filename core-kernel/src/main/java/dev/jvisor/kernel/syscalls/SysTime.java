package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.RestartBlock;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.time.Instant;

/** Time syscalls: clocks, sleeps and restart_syscall(2). */
final class SysTime {
    private SysTime() {}

    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
            CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
            CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9,
            CLOCK_TAI = 11;
    private static final int TIMER_ABSTIME = 1;
    private static final long NANOS = 1_000_000_000L;

    static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * NANOS + now.getNano();
    }

    /** The value of a clock in nanoseconds, or EINVAL for an unknown clock. */
    static long clockNanos(Task t, int clock) {
        if (clock < 0) {
            // A CPU-time clock id encoding a pid/tid: only the caller's own.
            int id = ~(clock >> 3);
            boolean thread = (clock & 4) != 0;
            if (id != 0 && id != (thread ? t.tid : t.threadGroup().tgid) || (clock & 3) == 3) {
                throw new SyscallException(Errno.EINVAL);
            }
            return t.context().cpuTimeNanos(!thread);
        }
        return switch (clock) {
            // The *_ALARM clocks need an RTC that can wake the machine; the sandbox has none, so they
            // are EINVAL, as on a Linux host without one (kernel/time/alarmtimer.c).
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_TAI -> realtimeNanos();
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME -> t.kernel.clock().now();
            case CLOCK_PROCESS_CPUTIME_ID -> t.context().cpuTimeNanos(true);
            case CLOCK_THREAD_CPUTIME_ID -> t.context().cpuTimeNanos(false);
            default -> throw new SyscallException(Errno.EINVAL);
        };
    }

    private static void writeTimespec(Task t, long addr, long nanos) {
        t.mm().writeLong(addr, Math.floorDiv(nanos, NANOS));
        t.mm().writeLong(addr + 8, Math.floorMod(nanos, NANOS));
    }

    private static long readTimespec(Task t, long addr) {
        long sec = t.mm().readLong(addr);
        long nsec = t.mm().readLong(addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= NANOS) {
            throw new SyscallException(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE / 2 : sec * NANOS + nsec;
    }

    /** clock_gettime(2) */
    static long clockGettime(Task t, SyscallArgs a) {
        writeTimespec(t, a.a1, clockNanos(t, (int) a.a0));
        return 0;
    }

    /** The scheduler tick (CONFIG_HZ=250): the resolution of the coarse clocks. */
    static final long TICK_NS = 4_000_000;

    /**
     * clock_getres(2): 1 ns for the high-resolution clocks and the scheduler CPU clocks, a tick for
     * the coarse clocks and for the CPUCLOCK_PROF/VIRT encodings of a CPU clock id.
     */
    static long clockGetres(Task t, SyscallArgs a) {
        int clock = (int) a.a0;
        clockNanos(t, clock);
        if (a.a1 != 0) {
            boolean coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE
                    || clock < 0 && (clock & 3) != 2;
            writeTimespec(t, a.a1, coarse ? TICK_NS : 1);
        }
        return 0;
    }

    /** gettimeofday(2) */
    static long gettimeofday(Task t, SyscallArgs a) {
        long now = realtimeNanos();
        if (a.a0 != 0) {
            t.mm().writeLong(a.a0, now / NANOS);
            t.mm().writeLong(a.a0 + 8, now % NANOS / 1000);
        }
        if (a.a1 != 0) {
            t.mm().writeLong(a.a1, 0);
        }
        return 0;
    }

    /** time(2) */
    static long time(Task t, SyscallArgs a) {
        long sec = realtimeNanos() / NANOS;
        if (a.a0 != 0) {
            t.mm().writeLong(a.a0, sec);
        }
        return sec;
    }

    /** nanosleep(2) */
    static long nanosleep(Task t, SyscallArgs a) {
        long duration = readTimespec(t, a.a0);
        return sleepUntil(t, t.kernel.clock().now() + duration);
    }

    /** clock_nanosleep(2) */
    static long clockNanosleep(Task t, SyscallArgs a) {
        int clock = (int) a.a0;
        if (clock == CLOCK_THREAD_CPUTIME_ID || clock < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        long now = clockNanos(t, clock);
        long req = readTimespec(t, a.a2);
        long monoNow = t.kernel.clock().now();
        long deadline = (a.a1 & TIMER_ABSTIME) != 0 ? monoNow + (req - now) : monoNow + req;
        return sleepUntil(t, deadline);
    }

    static long sleepUntil(Task t, long deadline) {
        if (t.sleepUntil(deadline)) {
            return 0;
        }
        t.restart = new SleepRestart(deadline);
        return -Errno.ERESTART_RESTARTBLOCK;
    }

    /** restart_syscall(2): resumes the interrupted call recorded in the task's restart block. */
    static long restartSyscall(Task t, SyscallArgs a) {
        RestartBlock r = t.restart;
        if (r == null) {
            throw new SyscallException(Errno.EINTR);
        }
        t.restart = null;
        return r.restart(t);
    }

}
