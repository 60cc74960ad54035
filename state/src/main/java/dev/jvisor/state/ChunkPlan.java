package dev.jvisor.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups populated ranges into chunk windows aligned to the chunk size. Aligned windows batch many
 * small ranges into one chunk, and let a lazy restore find the chunk of a faulting address by
 * arithmetic.
 */
final class ChunkPlan {
    /** Window at {@code base}; {@code parts} are the populated ranges inside it. */
    record Window(long base, List<MemoryRange> parts) {
        /** Bytes from the window's base to the end of its last populated part. */
        int span() {
            return (int) (parts.get(parts.size() - 1).end() - base);
        }

        long populatedBytes() {
            return parts.stream().mapToLong(MemoryRange::length).sum();
        }
    }

    private ChunkPlan() {}

    static List<Window> of(List<MemoryRange> ranges, int chunkSize) {
        List<Window> windows = new ArrayList<>();
        long previousEnd = 0;
        for (MemoryRange r : ranges) {
            if (r.offset() < previousEnd) {
                throw new IllegalArgumentException("populated ranges are not sorted and disjoint"
                        + " at offset " + r.offset());
            }
            previousEnd = r.end();
            for (long at = r.offset(); at < r.end(); ) {
                long base = at - at % chunkSize;
                long stop = Math.min(r.end(), base + chunkSize);
                Window last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
                if (last == null || last.base() != base) {
                    last = new Window(base, new ArrayList<>());
                    windows.add(last);
                }
                last.parts().add(new MemoryRange(at, stop - at));
                at = stop;
            }
        }
        return windows;
    }
}
