package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.PosixTimer;
import dev.jvisor.kernel.ProcessTimers;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Interval timers: alarm(2), getitimer(2), setitimer(2) and the POSIX timers timer_create(2),
 * timer_settime(2), timer_gettime(2), timer_getoverrun(2), timer_delete(2). Argument checks and
 * their order follow Linux (kernel/time/itimer.c, posix-timers.c); the timers themselves are the
 * process's {@link ProcessTimers}.
 */
final class SysTimer {
    private SysTimer() {}

    private static final long NANOS = 1_000_000_000L;
    /** Linux's KTIME_SEC_MAX: larger times saturate to KTIME_MAX. */
    private static final long KTIME_SEC_MAX = Long.MAX_VALUE / NANOS;
    private static final int TIMER_ABSTIME = 1;
    private static final int SIGEV_SIZE = 64;

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long toNanos(long sec, long nsec) {
        return sec >= KTIME_SEC_MAX ? Long.MAX_VALUE : sec * NANOS + nsec;
    }

    // ---- itimers ------------------------------------------------------------------------------------

    /** Reads a struct itimerval: {interval, value} in ns; EINVAL unless 0 <= tv_usec < 10^6 and tv_sec >= 0. */
    private static long[] readItimerval(Task t, long addr) {
        ByteBuffer b = le(t.mm().read(addr, 32));
        long isec = b.getLong(0), iusec = b.getLong(8), vsec = b.getLong(16), vusec = b.getLong(24);
        if (isec < 0 || iusec < 0 || iusec >= 1_000_000 || vsec < 0 || vusec < 0 || vusec >= 1_000_000) {
            throw new SyscallException(Errno.EINVAL);
        }
        return new long[] {toNanos(isec, iusec * 1000), toNanos(vsec, vusec * 1000)};
    }

    /** Writes {interval, value} (ns) as a struct itimerval, truncating to microseconds as Linux does. */
    private static void writeItimerval(Task t, long addr, long[] v) {
        ByteBuffer b = le(new byte[32]);
        b.putLong(0, v[0] / NANOS).putLong(8, v[0] % NANOS / 1000).putLong(16, v[1] / NANOS).putLong(24, v[1] % NANOS / 1000);
        t.mm().copyOut(addr, b.array(), 0, 32);
    }

    private static int which(SyscallArgs a) {
        int which = (int) a.a0;
        if (which < ProcessTimers.ITIMER_REAL || which > ProcessTimers.ITIMER_PROF) {
            throw new SyscallException(Errno.EINVAL);
        }
        return which;
    }

    /** getitimer(2) */
    static long getitimer(Task t, SyscallArgs a) {
        long[] v = t.threadGroup().timers.getItimer(which(a));
        writeItimerval(t, a.a1, v);
        return 0;
    }

    /** setitimer(2); a NULL new value disarms (a misfeature Linux keeps). */
    static long setitimer(Task t, SyscallArgs a) {
        long[] nv = a.a1 != 0 ? readItimerval(t, a.a1) : new long[] {0, 0};
        long[] old = t.threadGroup().timers.setItimer(which(a), nv[1], nv[0]);
        if (a.a2 != 0) {
            writeItimerval(t, a.a2, old);
        }
        return 0;
    }

    /** alarm(2): the seconds that were left, rounded to the nearest second but never 0 if one was pending. */
    static long alarm(Task t, SyscallArgs a) {
        long seconds = a.a0 & 0xffffffffL;
        long[] old = t.threadGroup().timers.setItimer(ProcessTimers.ITIMER_REAL, seconds * NANOS, 0);
        long sec = old[1] / NANOS, nsec = old[1] % NANOS;
        if (sec == 0 && nsec != 0 || nsec >= NANOS / 2) {
            sec++;
        }
        return sec;
    }

    // ---- POSIX timers -------------------------------------------------------------------------------

    /** timer_create(2) */
    static long timerCreate(Task t, SyscallArgs a) {
        byte[] ev = a.a1 != 0 ? t.mm().read(a.a1, SIGEV_SIZE) : null;
        int clock = (int) a.a0;
        checkClock(clock);
        ProcessTimers timers = t.threadGroup().timers;
        PosixTimer pt = timers.reserve(clock);
        try {
            int notify = ProcessTimers.SIGEV_SIGNAL, signo = 14 /* SIGALRM */, tid = 0;
            long value = pt.id();
            if (ev != null) {
                ByteBuffer b = le(ev);
                value = b.getLong(0);
                signo = b.getInt(8);
                notify = b.getInt(12);
                tid = b.getInt(16);
                validSigevent(timers, notify, signo, tid);
            }
            t.mm().writeInt(a.a2, pt.id());
            createOnClock(clock);
            timers.activate(pt, notify, signo, value, tid);
        } catch (SyscallException e) {
            timers.release(pt);
            throw e;
        }
        return 0;
    }

    /** Linux's clockid_to_kclock and whether the clock has timers: EINVAL or EOPNOTSUPP before an id is taken. */
    private static void checkClock(int clock) {
        if (clock < 0) {
            if ((clock & 7) == 3) { // CLOCKFD: a dynamic posix clock, which has no timers
                throw new SyscallException(Errno.EOPNOTSUPP);
            }
            return; // a CPU-time clock of a process or thread: refused by createOnClock
        }
        switch (clock) {
            case SysTime.CLOCK_REALTIME, SysTime.CLOCK_MONOTONIC, SysTime.CLOCK_PROCESS_CPUTIME_ID,
                    SysTime.CLOCK_THREAD_CPUTIME_ID, SysTime.CLOCK_BOOTTIME, SysTime.CLOCK_REALTIME_ALARM,
                    SysTime.CLOCK_BOOTTIME_ALARM, SysTime.CLOCK_TAI -> { }
            case SysTime.CLOCK_MONOTONIC_RAW, SysTime.CLOCK_REALTIME_COARSE, SysTime.CLOCK_MONOTONIC_COARSE ->
                    throw new SyscallException(Errno.EOPNOTSUPP);
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }

    /** The clock's own timer_create step, after the id was handed out and written (as in Linux). */
    private static void createOnClock(int clock) {
        if (clock == SysTime.CLOCK_REALTIME_ALARM || clock == SysTime.CLOCK_BOOTTIME_ALARM) {
            throw new SyscallException(Errno.EOPNOTSUPP); // no RTC device in the sandbox to wake it
        }
        if (clock < 0 || clock == SysTime.CLOCK_PROCESS_CPUTIME_ID || clock == SysTime.CLOCK_THREAD_CPUTIME_ID) {
            throw new SyscallException(Errno.EINVAL); // CPU-time timers are not supported (see the table note)
        }
    }

    /** Linux's good_sigevent. */
    private static void validSigevent(ProcessTimers timers, int notify, int signo, int tid) {
        switch (notify) {
            case ProcessTimers.SIGEV_SIGNAL | ProcessTimers.SIGEV_THREAD_ID -> {
                if (!timers.ownsThread(tid)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                validSigno(signo);
            }
            case ProcessTimers.SIGEV_SIGNAL, ProcessTimers.SIGEV_THREAD -> validSigno(signo);
            case ProcessTimers.SIGEV_NONE -> { }
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }

    private static void validSigno(int signo) {
        if (signo <= 0 || signo > 64) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** Reads a struct itimerspec: {interval, value} in ns; EINVAL unless both are valid timespecs. */
    private static long[] readItimerspec(Task t, long addr) {
        ByteBuffer b = le(t.mm().read(addr, 32));
        long isec = b.getLong(0), insec = b.getLong(8), vsec = b.getLong(16), vnsec = b.getLong(24);
        if (isec < 0 || insec < 0 || insec >= NANOS || vsec < 0 || vnsec < 0 || vnsec >= NANOS) {
            throw new SyscallException(Errno.EINVAL);
        }
        return new long[] {toNanos(isec, insec), toNanos(vsec, vnsec)};
    }

    private static void writeItimerspec(Task t, long addr, long[] v) {
        ByteBuffer b = le(new byte[32]);
        b.putLong(0, v[0] / NANOS).putLong(8, v[0] % NANOS).putLong(16, v[1] / NANOS).putLong(24, v[1] % NANOS);
        t.mm().copyOut(addr, b.array(), 0, 32);
    }

    /** timer_settime(2) */
    static long timerSettime(Task t, SyscallArgs a) {
        if (a.a2 == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] nv = readItimerspec(t, a.a2);
        long[] old = t.threadGroup().timers.setTime((int) a.a0, ((int) a.a1 & TIMER_ABSTIME) != 0, nv[1], nv[0]);
        if (a.a3 != 0) {
            writeItimerspec(t, a.a3, old);
        }
        return 0;
    }

    /** timer_gettime(2) */
    static long timerGettime(Task t, SyscallArgs a) {
        writeItimerspec(t, a.a1, t.threadGroup().timers.getTime((int) a.a0));
        return 0;
    }

    /** timer_getoverrun(2) */
    static long timerGetoverrun(Task t, SyscallArgs a) {
        return t.threadGroup().timers.getOverrun((int) a.a0);
    }

    /** timer_delete(2) */
    static long timerDelete(Task t, SyscallArgs a) {
        t.threadGroup().timers.delete((int) a.a0);
        return 0;
    }
}
