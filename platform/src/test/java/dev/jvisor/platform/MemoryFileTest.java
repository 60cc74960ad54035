package dev.jvisor.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryFileTest {
    @Test
    void readsWritesAndReportsOnlyPopulatedRanges() {
        MemoryFile f = MemoryFile.create(1L << 30);
        try {
            long a = f.allocate(16 * 4096);
            long b = f.allocate(16 * 4096);
            byte[] data = "memory file".getBytes();
            f.write(a + 4096, data, 0, data.length);
            f.write(b + 8 * 4096, data, 0, data.length);
            byte[] back = new byte[data.length];
            f.read(a + 4096, back, 0, back.length);
            assertArrayEquals(data, back);
            List<long[]> ranges = f.populatedRanges();
            assertEquals(2, ranges.size());
            assertEquals(a + 4096, ranges.get(0)[0]);
            assertEquals(b + 8 * 4096, ranges.get(1)[0]);
            // Freeing punches the pages out of the host file.
            f.free(b, 16 * 4096);
            assertEquals(1, f.populatedRanges().size());
            f.free(a, 16 * 4096);
            assertEquals(0, f.populatedRanges().size());
            long c = f.allocate(4096);
            f.read(c, back, 0, back.length);
            assertArrayEquals(new byte[data.length], back, "reused pages read as zeros");
        } finally {
            f.close();
        }
    }
}
