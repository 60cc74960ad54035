package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ProcessSettings;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.platform.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Resource usage syscalls: times(2) and getrusage(2). CPU time is what the host charged to the
 * app's own threads (the platform's stub threads), reported as user time; the Sentry's work on the
 * app's behalf is not counted, so system time is 0. Children's usage is what the process has waited
 * for ({@code ThreadGroup.childUserNs}, {@link ProcessSettings#childMaxRssKb}).
 */
final class SysResource {
    private SysResource() {}

    private static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    /** USER_HZ: the unit of clock_t. */
    private static final long USER_HZ = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;
    /**
     * Linux starts jiffies 5 minutes before wrapping 32 bits (INITIAL_JIFFIES) so overflow bugs show
     * early; times(2) returns that count in clock ticks. At HZ=250: (2^32 - 300*250) * 100 / 250.
     */
    private static final long INITIAL_TICKS = ((1L << 32) - 300L * 250) * USER_HZ / 250;

    /** CPU time charged to the task's thread or its whole process; 0 if the platform cannot tell. */
    static long cpuNanos(Task t, boolean wholeProcess) {
        try {
            Context c = t.context();
            return c == null ? 0 : c.cpuTimeNanos(wholeProcess);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** times(2): process and children CPU times in clock ticks; returns ticks since boot. */
    static long times(Task t, SyscallArgs a) {
        if (a.a0 != 0) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(cpuNanos(t, true) / NANOS_PER_TICK).putLong(0);
            b.putLong(t.threadGroup().childUserNs / NANOS_PER_TICK).putLong(t.threadGroup().childSysNs / NANOS_PER_TICK);
            t.mm().copyOut(a.a0, b.array(), 0, 32);
        }
        return INITIAL_TICKS + t.kernel.clock().now() / NANOS_PER_TICK;
    }

    /** getrusage(2): RUSAGE_SELF, RUSAGE_THREAD and RUSAGE_CHILDREN. */
    static long getrusage(Task t, SyscallArgs a) {
        int who = (int) a.a0;
        ProcessSettings ps = t.threadGroup().settings;
        long user, system, maxRssKb;
        switch (who) {
            case RUSAGE_SELF -> {
                user = cpuNanos(t, true);
                system = 0;
                maxRssKb = Math.max(ps.maxRssKb, residentKb(t));
            }
            case RUSAGE_THREAD -> {
                user = cpuNanos(t, false);
                system = 0;
                maxRssKb = residentKb(t);
            }
            case RUSAGE_CHILDREN -> {
                user = t.threadGroup().childUserNs;
                system = t.threadGroup().childSysNs;
                maxRssKb = ps.childMaxRssKb;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(user / 1_000_000_000L).putLong(user % 1_000_000_000L / 1000);
        b.putLong(system / 1_000_000_000L).putLong(system % 1_000_000_000L / 1000);
        b.putLong(maxRssKb);
        t.mm().copyOut(a.a1, b.array(), 0, 144);
        return 0;
    }

    /** The process's resident size in kB, and its high-water mark so far (ru_maxrss). */
    private static long residentKb(Task t) {
        long kb = t.mm().populatedBytes() / 1024;
        ProcessSettings ps = t.threadGroup().settings;
        ps.maxRssKb = Math.max(ps.maxRssKb, kb);
        return ps.maxRssKb;
    }
}
