package dev.jvisor.state;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A fixed set of page-aligned direct buffers, reused for every chunk: a chunk is megabytes, and
 * allocating (and zeroing, and collecting) that much per chunk costs more than packing it.
 * Aligned so the {@link BlockFile} can hand them to O_DIRECT as they are.
 */
final class BufferPool {
    private final Deque<ByteBuffer> free = new ArrayDeque<>();
    private final int capacity;
    /** Buffers not yet allocated: made on first need, since touching fresh memory is not free. */
    private int unmade;

    BufferPool(int count, int capacity) {
        this.capacity = capacity;
        this.unmade = count;
    }

    /**
     * A cleared buffer of at least {@link #capacity()} bytes plus room to pad them to the
     * alignment; waits while all are in use. (A free buffer and the right to make a new one are
     * looked at together, under one lock: a taker that found the free list empty must still make
     * a buffer if one is left to make, or it could wait for a buffer nobody will give back.)
     */
    ByteBuffer take() {
        synchronized (this) {
            while (free.isEmpty() && unmade == 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a chunk buffer", e);
                }
            }
            ByteBuffer b = free.poll();
            if (b != null) {
                b.clear();
                return b;
            }
            unmade--;
        }
        return ByteBuffer.allocateDirect(capacity + 2 * BlockFile.ALIGNMENT).alignedSlice(BlockFile.ALIGNMENT);
    }

    synchronized void give(ByteBuffer b) {
        if (b != null) {
            free.push(b);
            notifyAll();
        }
    }

    int capacity() {
        return capacity;
    }
}
