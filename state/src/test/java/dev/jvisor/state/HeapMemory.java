package dev.jvisor.state;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A memory file held in a byte array, for tests and the benchmark. */
final class HeapMemory implements MemorySource, MemoryTarget {
    final byte[] bytes;
    private final List<MemoryRange> populated;

    HeapMemory(int size, List<MemoryRange> populated) {
        this.bytes = new byte[size];
        this.populated = populated;
    }

    /** Everything populated; each page random with probability {@code randomShare}, else zero. */
    static HeapMemory mixed(int size, double randomShare, long seed) {
        HeapMemory m = new HeapMemory(size, List.of(new MemoryRange(0, size)));
        Random rnd = new Random(seed);
        byte[] page = new byte[Pages.SIZE];
        for (int off = 0; off < size; off += Pages.SIZE) {
            if (rnd.nextDouble() < randomShare) {
                rnd.nextBytes(page);
                System.arraycopy(page, 0, m.bytes, off, Pages.SIZE);
            }
        }
        return m;
    }

    /** Populated ranges {@code [start, start + length)} given in pages. */
    static List<MemoryRange> pageRanges(int... startAndLength) {
        List<MemoryRange> ranges = new ArrayList<>();
        for (int i = 0; i < startAndLength.length; i += 2) {
            ranges.add(new MemoryRange((long) startAndLength[i] * Pages.SIZE,
                    (long) startAndLength[i + 1] * Pages.SIZE));
        }
        return ranges;
    }

    @Override
    public List<MemoryRange> populatedRanges() {
        return populated;
    }

    @Override
    public ByteBuffer view(long offset, int len) {
        return ByteBuffer.wrap(bytes, (int) offset, len).slice();
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        src.get(bytes, (int) offset, src.remaining());
    }
}
