package dev.jvisor.state;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The memory file being restored by {@link PageChunkReader}. It must start out zero-filled (a
 * fresh sparse file is): all-zero pages are not in the snapshot and are never written.
 */
public interface MemoryTarget {
    /**
     * Copies the remaining bytes of {@code src} to {@code offset}. Called concurrently from several
     * threads, for disjoint ranges.
     */
    void write(long offset, ByteBuffer src) throws IOException;
}
