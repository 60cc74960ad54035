package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageChunkTest {
    private static final int PAGE = Pages.SIZE;
    private static final int CHUNK = 64 * PAGE;

    @TempDir
    Path tmp;

    /**
     * 1024 pages of address space, populated in three ranges that cross chunk boundaries, with
     * random pages, zero pages and compressible pages; pages outside the ranges are holes.
     */
    private static HeapMemory sample() {
        HeapMemory m = new HeapMemory(1024 * PAGE, HeapMemory.pageRanges(3, 100, 200, 300, 700, 1));
        Random rnd = new Random(7);
        byte[] page = new byte[PAGE];
        for (MemoryRange r : m.populatedRanges()) {
            for (long off = r.offset(); off < r.end(); off += PAGE) {
                switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextBytes(page);
                    case 1 -> Arrays.fill(page, (byte) 0);
                    default -> Arrays.fill(page, (byte) rnd.nextInt(256));
                }
                System.arraycopy(page, 0, m.bytes, (int) off, PAGE);
            }
        }
        return m;
    }

    private static long nonZeroPages(HeapMemory m) {
        long n = 0;
        for (int off = 0; off < m.bytes.length; off += PAGE) {
            n += Pages.isZero(m.bytes, off) ? 0 : 1;
        }
        return n;
    }

    private PageChunkWriter.Result write(HeapMemory m, PageOptions o, String name)
            throws IOException {
        return new PageChunkWriter(o).write(m, tmp.resolve(name));
    }

    private static PageOptions options(Compression c, int threads) {
        return new PageOptions(c, 1, CHUNK, threads);
    }

    @Test
    void roundTripSkipsZeroPages() throws IOException {
        HeapMemory source = sample();
        long nonZero = nonZeroPages(source);
        long populatedPages = 401;
        for (Compression c : Compression.values()) {
            PageChunkWriter.Result r = write(source, options(c, 4), c + ".bin");
            PageStats s = r.stats();

            assertEquals(populatedPages * PAGE, s.memoryBytes());
            assertEquals(nonZero * PAGE, s.pageBytes());
            assertEquals(populatedPages - nonZero, s.zeroPages());
            assertTrue(s.zeroPages() > 100, "the sample has many zero pages");
            Path file = tmp.resolve(c + ".bin");
            assertEquals(Files.size(file), s.fileBytes());
            assertEquals(Checksums.digest(file), r.digest());
            if (c == Compression.NONE) {
                assertEquals(nonZero * PAGE, Files.size(file), "zero pages are not stored");
            } else {
                assertTrue(Files.size(file) < nonZero * PAGE, "constant pages compress");
            }

            HeapMemory target = new HeapMemory(source.bytes.length, List.of());
            try (PageChunkReader reader = new PageChunkReader(file, r.index())) {
                PageStats back = reader.readAll(target, 3);
                assertEquals(nonZero * PAGE, back.pageBytes());
                assertEquals(r.digest(), reader.verify());
            }
            assertArrayEquals(source.bytes, target.bytes);
        }
    }

    @Test
    void chunksAreAlignedWindowsAndHoldOnlyNonZeroRuns() throws IOException {
        HeapMemory m = new HeapMemory(4 * CHUNK, HeapMemory.pageRanges(1, 2, 10, 1, 70, 3));
        m.bytes[PAGE + 5] = 1;         // page 1
        m.bytes[10 * PAGE] = 2;        // page 10; page 2 stays zero
        m.bytes[72 * PAGE + 9] = 3;    // page 72, second window

        PageChunkWriter.Result r = write(m, options(Compression.NONE, 1), "p.bin");

        List<Chunk> chunks = r.index().chunks();
        assertEquals(2, chunks.size());
        assertEquals(0, chunks.get(0).offset());
        assertArrayEquals(new int[] {1, 1, 10, 1}, chunks.get(0).runs());
        assertEquals(CHUNK, chunks.get(1).offset());
        assertArrayEquals(new int[] {8, 1}, chunks.get(1).runs());
        assertEquals(3, r.stats().zeroPages());
        assertEquals(3L * PAGE, Files.size(tmp.resolve("p.bin")));
    }

    @Test
    void allZeroMemoryWritesAnEmptyFile() throws IOException {
        HeapMemory m = new HeapMemory(CHUNK * 2, HeapMemory.pageRanges(0, 128));
        PageChunkWriter.Result r = write(m, options(Compression.ZSTD, 2), "z.bin");
        assertEquals(0, r.index().chunks().size());
        assertEquals(128, r.stats().zeroPages());
        assertEquals(0, Files.size(tmp.resolve("z.bin")));
    }

    @Test
    void parallelCompressionGivesIdenticalFiles() throws IOException {
        HeapMemory source = sample();
        PageChunkWriter.Result one = write(source, options(Compression.ZSTD, 1), "one.bin");
        PageChunkWriter.Result many = write(source, options(Compression.ZSTD, 8), "many.bin");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("one.bin")),
                Files.readAllBytes(tmp.resolve("many.bin")));
        assertArrayEquals(Json.MAPPER.writeValueAsBytes(one.index()),
                Json.MAPPER.writeValueAsBytes(many.index()));
    }

    @Test
    void lazyLoadOfOneChunk() throws IOException {
        HeapMemory source = sample();
        PageChunkWriter.Result r = write(source, options(Compression.ZSTD, 2), "p.bin");
        HeapMemory target = new HeapMemory(source.bytes.length, List.of());
        try (PageChunkReader reader = new PageChunkReader(tmp.resolve("p.bin"), r.index())) {
            long address = 250L * PAGE + 17;
            Chunk c = reader.chunkAt(address).orElseThrow();
            assertEquals(192L * PAGE, c.offset());
            reader.load(c, target);
            assertTrue(reader.chunkAt(900L * PAGE).isEmpty(), "a hole has no chunk");
        }
        int from = 192 * PAGE;
        int to = 256 * PAGE;
        assertArrayEquals(Arrays.copyOfRange(source.bytes, from, to),
                Arrays.copyOfRange(target.bytes, from, to));
        int elsewhere = 3 * PAGE;
        while (Pages.isZero(source.bytes, elsewhere)) {
            elsewhere += PAGE;
        }
        assertTrue(Pages.isZero(target.bytes, elsewhere), "other chunks are not loaded");
    }

    @Test
    void corruptedChunkIsRefusedBeforeItIsWritten() throws IOException {
        HeapMemory source = sample();
        for (Compression c : Compression.values()) {
            Path file = tmp.resolve(c + ".bin");
            PageChunkWriter.Result r = write(source, options(c, 2), c + ".bin");
            byte[] bytes = Files.readAllBytes(file);
            Chunk victim = r.index().chunks().get(2);
            bytes[(int) victim.fileOffset() + 10] ^= 0x40;
            Files.write(file, bytes);

            HeapMemory target = new HeapMemory(source.bytes.length, List.of());
            try (PageChunkReader reader = new PageChunkReader(file, r.index())) {
                SnapshotException e = assertThrows(SnapshotException.class,
                        () -> reader.readAll(target));
                assertTrue(e.getMessage().startsWith(file + ": is corrupted"), e.getMessage());
                assertTrue(e.getMessage().contains(
                        "0x" + Long.toHexString(victim.offset())), e.getMessage());
                assertThrows(SnapshotException.class, reader::verify);
                reader.load(r.index().chunks().get(0), target);   // others still load
            }
            int from = (int) victim.offset();
            assertTrue(Pages.isZero(target.bytes, from + victim.runs()[0] * PAGE),
                    "nothing of the bad chunk was written");
        }
    }

    @Test
    void indexThatDoesNotMatchTheFileIsRefused() throws IOException {
        PageChunkWriter.Result r = write(sample(), options(Compression.ZSTD, 2), "p.bin");
        Path file = tmp.resolve("p.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        SnapshotException e = assertThrows(SnapshotException.class,
                () -> new PageChunkReader(file, r.index()).close());
        assertTrue(e.getMessage().contains("does not match its chunk index"), e.getMessage());
    }

    @Test
    void sourceFailurePropagates() {
        HeapMemory good = sample();
        MemorySource failing = new MemorySource() {
            @Override
            public List<MemoryRange> populatedRanges() {
                return good.populatedRanges();
            }

            @Override
            public java.nio.ByteBuffer view(long offset, int len) throws IOException {
                if (offset >= 250L * PAGE) {
                    throw new IOException("memory file went away");
                }
                return good.view(offset, len);
            }
        };
        IOException e = assertThrows(IOException.class, () ->
                new PageChunkWriter(options(Compression.ZSTD, 2)).write(failing, tmp.resolve("f")));
        assertEquals("memory file went away", e.getMessage());
    }

    @Test
    void unsortedRangesAreRefused() {
        HeapMemory m = new HeapMemory(CHUNK, HeapMemory.pageRanges(10, 2, 5, 2));
        assertThrows(IllegalArgumentException.class, () -> write(m, options(Compression.NONE, 1),
                "u.bin"));
    }
}
