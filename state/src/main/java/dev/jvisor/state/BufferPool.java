package dev.jvisor.state;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of page-aligned direct buffers, reused for every chunk: a chunk is megabytes, and
 * allocating (and zeroing, and collecting) that much per chunk costs more than packing it.
 * Aligned so the {@link BlockFile} can hand them to O_DIRECT as they are.
 */
final class BufferPool {
    private final BlockingQueue<ByteBuffer> free;
    private final int capacity;
    /** Buffers not yet allocated: made on first need, since touching fresh memory is not free. */
    private int unmade;

    BufferPool(int count, int capacity) {
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(count);
        this.unmade = count;
    }

    /**
     * A cleared buffer of at least {@link #capacity()} bytes plus room to pad them to the
     * alignment; waits while all are in use.
     */
    ByteBuffer take() {
        synchronized (this) {
            if (free.isEmpty() && unmade > 0) {
                unmade--;
                return ByteBuffer.allocateDirect(capacity + 2 * BlockFile.ALIGNMENT).alignedSlice(BlockFile.ALIGNMENT);
            }
        }
        try {
            ByteBuffer b = free.take();
            b.clear();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a chunk buffer", e);
        }
    }

    void give(ByteBuffer b) {
        if (b != null) {
            free.add(b);
        }
    }

    int capacity() {
        return capacity;
    }
}
