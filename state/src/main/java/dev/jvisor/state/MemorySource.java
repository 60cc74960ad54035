package dev.jvisor.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The memory file of a sandbox as seen by {@link PageChunkWriter}: a large sparse file in which
 * only some ranges were ever written. The platform implements it (SEEK_DATA/SEEK_HOLE on the memfd
 * and views of its mapping, or a copy-on-write view while the app keeps running).
 */
public interface MemorySource {
    /** The ranges that may hold non-zero data, sorted and non-overlapping. */
    List<MemoryRange> populatedRanges() throws IOException;

    /**
     * The {@code len} bytes at {@code offset}, as a buffer positioned at 0 (a view of the memory
     * where possible, so nothing is copied). Called concurrently from several threads, for
     * disjoint ranges; the buffer is read before the next call for the same range.
     */
    ByteBuffer view(long offset, int len) throws IOException;

    /**
     * The writer is done with {@code [offset, offset + len)}, a range it viewed: a source that
     * guards memory for a running sandbox may stop guarding it.
     */
    default void consumed(long offset, long len) {}
}
