package dev.jvisor.kernel.vfs;

import java.time.Instant;

/** Wall-clock time for file timestamps (CLOCK_REALTIME follows the host). */
public final class Clocks {
    private Clocks() {}

    public static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
