package dev.jvisor.state;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Reads the page chunks of a {@code pages.bin} back into a {@link MemoryTarget}: all of them in
 * parallel ({@link #readAll}), or one at a time for lazy restore ({@link #chunkAt}, {@link
 * #load}). Every chunk's CRC32C is checked before any of its bytes are decompressed or written.
 * Safe for concurrent use.
 */
public final class PageChunkReader implements Closeable {
    private final Path file;
    private final ChunkIndex index;
    private final long[] offsets;
    private final FileChannel channel;

    /**
     * Opens {@code file} for the chunks of {@code index}.
     *
     * @throws SnapshotException if the index does not describe this file
     */
    public PageChunkReader(Path file, ChunkIndex index) throws IOException {
        this.file = file;
        this.index = index;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            index.validate(channel.size());
        } catch (IllegalArgumentException e) {
            channel.close();
            throw new SnapshotException(file, "does not match its chunk index: " + e.getMessage());
        }
        this.offsets = index.chunks().stream().mapToLong(Chunk::offset).toArray();
    }

    public ChunkIndex index() {
        return index;
    }

    /** The chunk holding the page at {@code memoryOffset}; empty if that page is zero. */
    public Optional<Chunk> chunkAt(long memoryOffset) {
        long base = memoryOffset - memoryOffset % index.chunkSize();
        int i = Arrays.binarySearch(offsets, base);
        return i < 0 ? Optional.empty() : Optional.of(index.chunks().get(i));
    }

    /** Verifies, decompresses and writes one chunk's pages. */
    public void load(Chunk c, MemoryTarget target) throws IOException {
        byte[] stored = readVerified(c);
        byte[] raw = stored;
        if (!c.storedRaw()) {
            raw = new byte[c.rawLength()];
            try {
                long n = Zstd.decompressByteArray(raw, 0, raw.length, stored, 0, stored.length);
                if (n != raw.length) {
                    throw new SnapshotException(file, describe(c) + " decompresses to " + n
                            + " bytes, not " + raw.length);
                }
            } catch (ZstdException e) {
                throw new SnapshotException(file, describe(c) + " does not decompress: "
                        + e.getMessage(), e);
            }
        }
        int[] runs = c.runs();
        int pos = 0;
        for (int r = 0; r < runs.length; r += 2) {
            int len = runs[r + 1] * Pages.SIZE;
            target.write(c.offset() + (long) runs[r] * Pages.SIZE, raw, pos, len);
            pos += len;
        }
    }

    /** Loads every chunk on {@code threads} threads; stops at the first failure. */
    public PageStats readAll(MemoryTarget target, int threads) throws IOException {
        long start = System.nanoTime();
        ExecutorService pool = Workers.pool("snapshot-load", threads);
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (Chunk c : index.chunks()) {
                tasks.add(pool.submit(() -> {
                    load(c, target);
                    return null;
                }));
            }
            for (Future<?> t : tasks) {
                Workers.await(t, "page chunks");
            }
        } finally {
            Workers.stop(pool, tasks);
        }
        long pageBytes = index.chunks().stream().mapToLong(Chunk::rawLength).sum();
        return new PageStats(pageBytes, pageBytes, index.fileSize(), 0, index.chunks().size(),
                System.nanoTime() - start);
    }

    /** {@link #readAll(MemoryTarget, int)} with one thread per processor. */
    public PageStats readAll(MemoryTarget target) throws IOException {
        return readAll(target, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Checks every chunk's checksum without decompressing or writing anything, and returns the
     * digest of the whole file (the chunks cover it exactly, in order).
     */
    public FileDigest verify() throws IOException {
        CRC32C whole = new CRC32C();
        for (Chunk c : index.chunks()) {
            whole.update(readVerified(c));
        }
        return new FileDigest(index.fileSize(), whole.getValue());
    }

    private byte[] readVerified(Chunk c) throws IOException {
        byte[] stored = new byte[c.compressedLength()];
        ByteBuffer buf = ByteBuffer.wrap(stored);
        while (buf.hasRemaining()) {
            // Positional reads: the channel is shared by all loader threads.
            if (channel.read(buf, c.fileOffset() + buf.position()) < 0) {
                throw new SnapshotException(file, "is truncated: " + describe(c) + " ends at byte "
                        + (c.fileOffset() + c.compressedLength()));
            }
        }
        if (Checksums.crc32c(stored, 0, stored.length) != c.crc32c()) {
            throw new SnapshotException(file, "is corrupted: " + describe(c)
                    + " fails its CRC32C check");
        }
        return stored;
    }

    private static String describe(Chunk c) {
        return String.format("chunk at memory offset 0x%x (file bytes %d..%d)", c.offset(),
                c.fileOffset(), c.fileOffset() + c.compressedLength());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
