package dev.jvisor.state;

import java.io.IOException;
import java.util.List;

/**
 * The memory file of a sandbox as seen by {@link PageChunkWriter}: a large sparse file in which
 * only some ranges were ever written. The platform implements it (SEEK_DATA/SEEK_HOLE and pread
 * on the memfd, or a copy-on-write view while the app keeps running).
 */
public interface MemorySource {
    /** The ranges that may hold non-zero data, sorted and non-overlapping. */
    List<MemoryRange> populatedRanges() throws IOException;

    /**
     * Copies {@code len} bytes at {@code offset} into {@code dst}. Called concurrently from several
     * threads, for disjoint ranges.
     */
    void read(long offset, byte[] dst, int dstOff, int len) throws IOException;
}
