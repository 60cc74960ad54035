package dev.jvisor.kernel.futex;

import dev.jvisor.kernel.MonotonicClock;
import java.time.Instant;

/**
 * When a futex wait gives up: an absolute time on the sandbox's CLOCK_MONOTONIC (which continues
 * across checkpoint and restore) or on CLOCK_REALTIME (which follows the host), or never. Absolute,
 * because that is what Linux's restart block keeps: a wait interrupted by a checkpoint resumes with
 * the time it had left, not with its whole timeout again.
 *
 * @param nanos the deadline in nanoseconds of its clock
 * @param realtime whether {@code nanos} is CLOCK_REALTIME rather than CLOCK_MONOTONIC
 */
public record Deadline(long nanos, boolean realtime) {
    /** No timeout. */
    public static final Deadline NEVER = new Deadline(Long.MAX_VALUE, false);
    private static final long NANOS = 1_000_000_000L;

    /** A relative timeout from now on the monotonic clock, saturating like ktime_add_safe. */
    public static Deadline after(MonotonicClock clock, long relNanos) {
        long now = clock.now();
        long at = now + relNanos;
        return new Deadline(at < now ? Long.MAX_VALUE : at, false);
    }

    public boolean never() {
        return nanos == Long.MAX_VALUE;
    }

    /** Nanoseconds left (zero or less once passed). */
    public long remaining(MonotonicClock clock) {
        if (never()) {
            return Long.MAX_VALUE;
        }
        return nanos - (realtime ? realtimeNow() : clock.now());
    }

    static long realtimeNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * NANOS + now.getNano();
    }
}
