package dev.jvisor.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Writes the populated memory of a {@link MemorySource} to a {@code pages.bin} file: memory is cut
 * into chunk windows, all-zero pages are dropped, each chunk is compressed independently on a pool
 * of threads, and the blocks are appended in memory order, each at a 4 KiB boundary ({@link
 * BlockFile}). The returned {@link ChunkIndex} says
 * where each page went; {@link PageChunkReader} brings them back.
 */
public final class PageChunkWriter {
    /** What was written: the index, counters, and the digest of the whole file. */
    public record Result(ChunkIndex index, PageStats stats, FileDigest digest) {}

    private final PageOptions options;

    public PageChunkWriter(PageOptions options) {
        this.options = options;
    }

    /** Writes a new file; the file is left incomplete if this throws. */
    public Result write(MemorySource source, Path file) throws IOException {
        long start = System.nanoTime();
        Iterator<ChunkPlan.Window> windows =
                ChunkPlan.of(source.populatedRanges(), options.chunkSize()).iterator();
        // Enough queued work to keep every thread busy while this one writes, without holding
        // more than a few chunks per thread in memory.
        int lookAhead = 2 * options.threads();
        ChunkPacker packer = new ChunkPacker(source, options.compression(), options.level(),
                options.chunkSize(), lookAhead + 1);
        List<Chunk> chunks = new ArrayList<>();
        CRC32C fileCrc = new CRC32C();
        long memoryBytes = 0;
        long pageBytes = 0;
        long zeroPages = 0;
        long fileOffset = 0;
        Deque<Future<ChunkPacker.Packed>> inflight = new ArrayDeque<>();
        ExecutorService pool = Workers.pool("snapshot-pack", options.threads());
        try (BlockFile out = BlockFile.create(file)) {
            while (windows.hasNext() || !inflight.isEmpty()) {
                while (windows.hasNext() && inflight.size() < lookAhead) {
                    ChunkPlan.Window w = windows.next();
                    inflight.add(pool.submit(() -> packer.pack(w)));
                }
                ChunkPacker.Packed p = Workers.await(inflight.poll(), "page chunks");
                memoryBytes += p.populatedBytes();
                zeroPages += p.zeroPages();
                if (p.rawLength() == 0) {
                    continue;
                }
                long at;
                try {
                    at = out.append(p.data(), fileCrc);
                } finally {
                    p.release();
                }
                chunks.add(new Chunk(p.base(), p.runs(), p.rawLength(), p.length(), at, p.crc32c()));
                pageBytes += p.rawLength();
            }
            fileOffset = out.size();
        } finally {
            Workers.stop(pool, inflight);
        }
        ChunkIndex index = new ChunkIndex(Pages.SIZE, options.chunkSize(), options.compression(),
                options.level(), List.copyOf(chunks), BlockFile.ALIGNMENT);
        PageStats stats = new PageStats(memoryBytes, pageBytes, fileOffset, zeroPages,
                chunks.size(), System.nanoTime() - start);
        return new Result(index, stats, new FileDigest(fileOffset, fileCrc.getValue()));
    }
}
