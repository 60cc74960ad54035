package dev.jvisor.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageAllocatorTest {
    private static final long P = PageAllocator.PAGE;

    @Test
    void bumpsThenReusesFreedRangesFirstFit() {
        PageAllocator a = new PageAllocator(100 * P);
        assertEquals(0, a.allocate(2 * P));
        assertEquals(2 * P, a.allocate(3 * P));
        assertEquals(5 * P, a.allocate(P));
        a.free(2 * P, 3 * P);
        assertEquals(2 * P, a.allocate(P));
        assertEquals(3 * P, a.allocate(2 * P));
        assertEquals(6 * P, a.allocate(P));
        assertEquals(7 * P, a.allocatedBytes());
    }

    @Test
    void coalescesNeighboursAndLowersTheHighWaterMark() {
        PageAllocator a = new PageAllocator(100 * P);
        long x = a.allocate(P), y = a.allocate(P), z = a.allocate(P);
        a.free(x, P);
        a.free(z, P);
        assertEquals(2 * P, a.highWater(), "freeing the top range lowers the high-water mark");
        a.free(y, P);
        assertEquals(0, a.highWater());
        assertEquals(0, a.allocatedBytes());
        assertEquals(0, a.allocate(3 * P));
    }

    @Test
    void refusesWhenFullAndRejectsBadFrees() {
        PageAllocator a = new PageAllocator(4 * P);
        assertEquals(0, a.allocate(4 * P));
        assertEquals(-1, a.allocate(P));
        assertThrows(IllegalArgumentException.class, () -> a.free(8 * P, P));
        assertThrows(IllegalArgumentException.class, () -> a.allocate(100));
        a.free(0, P);
        assertThrows(IllegalArgumentException.class, () -> a.free(0, P));
    }

    @Test
    void randomAllocationsNeverOverlap() {
        PageAllocator a = new PageAllocator(4096 * P);
        Random r = new Random(42);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            if (!live.isEmpty() && r.nextInt(3) == 0) {
                long[] x = live.remove(r.nextInt(live.size()));
                a.free(x[0], x[1]);
            } else {
                long len = (1 + r.nextInt(8)) * P;
                long off = a.allocate(len);
                if (off < 0) {
                    continue;
                }
                for (long[] o : live) {
                    boolean overlap = off < o[0] + o[1] && o[0] < off + len;
                    assertEquals(false, overlap, "overlap at " + off);
                }
                live.add(new long[] {off, len});
            }
        }
        long sum = live.stream().mapToLong(x -> x[1]).sum();
        assertEquals(sum, a.allocatedBytes());
    }
}
