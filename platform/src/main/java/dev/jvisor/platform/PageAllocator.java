package dev.jvisor.platform;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hands out page-aligned ranges of the memory file. First fit from a coalescing free list, else
 * bump allocation from the high-water mark. Pure data (no host state): it is part of the kernel
 * graph and is checkpointed as is.
 */
public final class PageAllocator {
    public static final long PAGE = 4096;

    private final long capacity;
    private long highWater;
    /** Free extents below the high-water mark: start offset to length. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long allocatedBytes;

    public PageAllocator(long capacity) {
        if (capacity <= 0 || capacity % PAGE != 0) {
            throw new IllegalArgumentException("capacity must be a positive multiple of the page size");
        }
        this.capacity = capacity;
    }

    /** Returns the offset of {@code len} bytes (a page multiple), or -1 when the file is full. */
    public synchronized long allocate(long len) {
        checkLength(len);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            // Read the entry before removing it: TreeMap may reuse the node for its successor.
            long start = e.getKey();
            long length = e.getValue();
            if (length >= len) {
                free.remove(start);
                if (length > len) {
                    free.put(start + len, length - len);
                }
                allocatedBytes += len;
                return start;
            }
        }
        if (capacity - highWater < len) {
            return -1;
        }
        long start = highWater;
        highWater += len;
        allocatedBytes += len;
        return start;
    }

    /** Returns a range to the free list, merging it with its neighbours. */
    public synchronized void free(long offset, long len) {
        checkLength(len);
        if (offset < 0 || offset % PAGE != 0 || offset + len > highWater) {
            throw new IllegalArgumentException("free of a range never allocated: " + offset + "+" + len);
        }
        Map.Entry<Long, Long> below = free.floorEntry(offset);
        if (below != null && below.getKey() + below.getValue() > offset) {
            throw new IllegalArgumentException("double free at " + offset);
        }
        Map.Entry<Long, Long> above = free.ceilingEntry(offset);
        if (above != null && offset + len > above.getKey()) {
            throw new IllegalArgumentException("double free at " + above.getKey());
        }
        allocatedBytes -= len;
        long start = offset;
        long length = len;
        if (below != null && below.getKey() + below.getValue() == offset) {
            start = below.getKey();
            length += below.getValue();
            free.remove(below.getKey());
        }
        if (above != null && above.getKey() == offset + len) {
            length += above.getValue();
            free.remove(above.getKey());
        }
        if (start + length == highWater) {
            highWater = start;
        } else {
            free.put(start, length);
        }
    }

    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    public synchronized long highWater() {
        return highWater;
    }

    public long capacity() {
        return capacity;
    }

    private static void checkLength(long len) {
        if (len <= 0 || len % PAGE != 0) {
            throw new IllegalArgumentException("length must be a positive multiple of the page size: " + len);
        }
    }
}
