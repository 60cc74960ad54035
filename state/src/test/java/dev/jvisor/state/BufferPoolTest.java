package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    /**
     * Two takers racing for the one free buffer while a second may still be made: both get one. (A
     * taker that lost the race used to wait for a give that a checkpoint writer, waiting for that very
     * taker, would never make.)
     */
    @Test
    void aTakerMakesABufferWhenTheFreeOneIsTaken() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            race(two);
        } finally {
            two.shutdownNow();
        }
    }

    private static void race(ExecutorService two) throws Exception {
        for (int round = 0; round < 20000; round++) {
            BufferPool pool = new BufferPool(2, 4096);
            pool.give(pool.take());
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<ByteBuffer> a = CompletableFuture.supplyAsync(() -> takeAfter(start, pool), two);
            CompletableFuture<ByteBuffer> b = CompletableFuture.supplyAsync(() -> takeAfter(start, pool), two);
            ByteBuffer x = a.get(5, TimeUnit.SECONDS);
            ByteBuffer y = b.get(5, TimeUnit.SECONDS);
            assertNotSame(x, y);
            assertTrue(x.capacity() >= 4096 && y.capacity() >= 4096);
        }
    }

    private static ByteBuffer takeAfter(CyclicBarrier start, BufferPool pool) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pool.take();
    }
}
