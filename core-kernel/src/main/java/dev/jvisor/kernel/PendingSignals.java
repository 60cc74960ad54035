package dev.jvisor.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A pending-signal set, per thread or per process: a mask, with the siginfo of each pending signal.
 * A standard signal (1-31) is pending at most once; real-time signals (32-64) queue, in order.
 * Guarded by the kernel lock.
 */
public final class PendingSignals {
    /** Signals Linux dequeues first, because they report a fault of the current instruction. */
    static final long SYNCHRONOUS = bit(11) | bit(7) | bit(4) | bit(5) | bit(8) | bit(31);

    private long mask;
    private final List<SigInfo> queue = new ArrayList<>();

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    public long mask() {
        return mask;
    }

    public boolean has(int sig) {
        return (mask & bit(sig)) != 0;
    }

    /** Adds a signal; false if a standard signal of that number was already pending (it merges). */
    boolean add(SigInfo info) {
        int sig = info.signo();
        if (sig < 32 && has(sig)) {
            return false;
        }
        mask |= bit(sig);
        queue.add(info);
        return true;
    }

    /** Removes and returns the first pending instance of {@code sig}, or null. */
    SigInfo take(int sig) {
        SigInfo found = null;
        boolean more = false;
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).signo() == sig) {
                if (found == null) {
                    found = queue.remove(i--);
                } else {
                    more = true;
                    break;
                }
            }
        }
        if (!more) {
            mask &= ~bit(sig);
        }
        return found;
    }

    /** The signal to deliver next among {@code allowed}: faults first, then the lowest number; 0 if none. */
    int next(long allowed) {
        long m = mask & allowed;
        if (m == 0) {
            return 0;
        }
        long sync = m & SYNCHRONOUS;
        return Long.numberOfTrailingZeros(sync != 0 ? sync : m) + 1;
    }

    /** Drops every pending instance of the signals in {@code set}. */
    void discard(long set) {
        queue.removeIf(i -> (set & bit(i.signo())) != 0);
        mask &= ~set;
    }

    /** Whether this very siginfo object is queued here (a POSIX timer's preallocated signal). */
    boolean contains(SigInfo info) {
        for (SigInfo q : queue) {
            if (q == info) {
                return true;
            }
        }
        return false;
    }

    /** Drops the queued signals {@code drop} selects (execve's flush of timer signals), keeping the mask in step. */
    void removeIf(java.util.function.Predicate<SigInfo> drop) {
        if (queue.removeIf(drop)) {
            mask = 0;
            for (SigInfo q : queue) {
                mask |= bit(q.signo());
            }
        }
    }

    void clear() {
        queue.clear();
        mask = 0;
    }
}
