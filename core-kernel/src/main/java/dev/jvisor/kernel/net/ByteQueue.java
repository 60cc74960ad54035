package dev.jvisor.kernel.net;

import java.util.ArrayDeque;

/**
 * The bytes of one direction of a stream connection, in the order they were sent: chunks as they
 * were written, read from the front. Plain state, so a checkpoint keeps the data in flight.
 */
final class ByteQueue {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already read. */
    private int headOff;
    private long size;

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(byte[] b) {
        if (b.length > 0) {
            chunks.add(b);
            size += b.length;
        }
    }

    /**
     * Copies up to {@code n} bytes starting {@code skip} bytes in to {@code out}, without removing them;
     * returns the count.
     */
    int peek(long skip, int n, IoVec out) {
        int done = 0;
        long pos = -headOff;
        for (byte[] c : chunks) {
            long start = pos;
            pos += c.length;
            if (pos <= skip) {
                continue;
            }
            int from = (int) Math.max(0, skip - start);
            int k = Math.min(c.length - from, n - done);
            if (out != null) {
                out.write(c, from, k);
            }
            done += k;
            if (done == n) {
                break;
            }
        }
        return done;
    }

    /** Drops the first {@code n} bytes. */
    void consume(long n) {
        size -= n;
        while (n > 0) {
            byte[] c = chunks.peek();
            int left = c.length - headOff;
            if (n < left) {
                headOff += (int) n;
                return;
            }
            n -= left;
            chunks.poll();
            headOff = 0;
        }
    }

    void clear() {
        chunks.clear();
        headOff = 0;
        size = 0;
    }
}
