package dev.jvisor.kernel;

/**
 * The sandbox's CLOCK_MONOTONIC: host monotonic time plus an offset the kernel owns, so that after a
 * restore (on any host) it continues from the value it had at checkpoint time.
 */
public final class MonotonicClock {
    private long offset;
    /** The sandbox time frozen at the last checkpoint. */
    private long frozenAt;

    public MonotonicClock() {
        offset = -System.nanoTime();
    }

    public long now() {
        return System.nanoTime() + offset;
    }

    /** Remembers the current time for the snapshot. */
    public void freeze() {
        frozenAt = now();
    }

    /** After a restore: continue from the frozen value. */
    public void thaw() {
        offset = frozenAt - System.nanoTime();
    }
}
