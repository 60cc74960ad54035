package dev.jvisor.kernel.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.MemoryRange;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory a live checkpoint streams is the memory of its pause, whatever happens to the file meanwhile. */
class PageStreamTest {
    private static final int BLOCK = PageStream.BLOCK;
    private static final int CHUNK = 4 << 20;
    private MemoryFile mf;
    private long base;

    @BeforeEach
    void setUp() {
        mf = MemoryFile.create(1L << 30);
        base = mf.allocate(8L * BLOCK);
        for (int b = 0; b < 8; b++) {
            mf.write(base + (long) b * BLOCK, fill((byte) b), 0, BLOCK);
        }
    }

    @AfterEach
    void tearDown() {
        mf.clearGuard();
        mf.close();
    }

    private static byte[] fill(byte v) {
        byte[] a = new byte[BLOCK];
        Arrays.fill(a, v);
        return a;
    }

    private PageStream guard(long maxCopied) {
        PageStream s = new PageStream(mf, List.of(new MemoryRange(base, 8L * BLOCK)), CHUNK, maxCopied);
        mf.setGuard(s);
        return s;
    }

    /** Streams block {@code b} and returns what the snapshot got. */
    private byte[] stream(PageStream s, int b) {
        ByteBuffer v = s.view(base + (long) b * BLOCK, BLOCK);
        byte[] got = new byte[BLOCK];
        v.get(got);
        s.consumed(base + (long) b * BLOCK, BLOCK);
        return got;
    }

    @Test
    void writesAfterThePauseAreNotInTheStream() {
        PageStream s = guard(PageStream.MAX_COPIED);
        assertTrue(s.pending(base, BLOCK));
        mf.write(base + 10, new byte[] {42, 42}, 0, 2);
        mf.zero(base + 3L * BLOCK, BLOCK);
        assertFalse(s.pending(base, BLOCK), "a modified block was copied aside");
        for (int b = 0; b < 8; b++) {
            assertArrayEquals(fill((byte) b), stream(s, b), "block " + b);
        }
        long copied = s.copiedBytes();
        assertEquals(2L * BLOCK, copied);
        mf.write(base + 5L * BLOCK, new byte[] {1}, 0, 1);
        assertEquals(copied, s.copiedBytes(), "a streamed block needs no copy");
        assertFalse(s.pending(base, 8L * BLOCK));
    }

    @Test
    void freesWaitForTheStream() {
        PageStream s = guard(PageStream.MAX_COPIED);
        mf.free(base + 2L * BLOCK, BLOCK);
        assertArrayEquals(fill((byte) 2), stream(s, 2), "a freed block keeps its pages until the stream ends");
        long before = mf.allocator().allocatedBytes();
        mf.clearGuard();
        assertEquals(before - BLOCK, mf.allocator().allocatedBytes(), "the deferred free happened");
    }

    @Test
    void aWriterWaitsWhileTooMuchIsCopiedAside() throws Exception {
        PageStream s = guard(2L * BLOCK);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int b = 0; b < 4; b++) {
                mf.write(base + (long) b * BLOCK, fill((byte) 99), 0, BLOCK);
            }
        });
        // Two copies fit; the third write must wait for the stream.
        Thread.sleep(200);
        assertFalse(writer.isDone(), "the writer went past the copy limit");
        for (int b = 0; b < 8; b++) {
            assertArrayEquals(fill((byte) b), stream(s, b), "block " + b);
        }
        writer.get(10, TimeUnit.SECONDS);
    }
}
