package dev.jvisor.state;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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
     * The same file opened with O_DIRECT (null where refused): reading a snapshot once need not
     * fill the page cache, which costs as much as the memory being restored on this kind of host.
     */
    private final FileChannel direct;
    private final BufferPool buffers;
    /** The index's bytes as this reader parsed them, to be matched against the manifest (null if not read here). */
    private final FileDigest indexDigest;

    /**
     * Opens {@code file} for the chunks of {@code index}.
     *
     * @throws SnapshotException if the index does not describe this file
     */
    public PageChunkReader(Path file, ChunkIndex index) throws IOException {
        this(file, index, null);
    }

    private PageChunkReader(Path file, ChunkIndex index, FileDigest indexDigest) throws IOException {
        this.file = file;
        this.indexDigest = indexDigest;
        this.index = index;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            index.validate(channel.size());
        } catch (IllegalArgumentException e) {
            channel.close();
            throw new SnapshotException(file, "does not match its chunk index: " + e.getMessage());
        }
        this.offsets = index.chunks().stream().mapToLong(Chunk::offset).toArray();
        this.direct = index.blockAlignment() % BlockFile.ALIGNMENT == 0 ? openDirect(file) : null;
        // A block is never longer than its raw pages (validated), which fit in a chunk; reads span
        // whole aligned blocks. (Sized without zstd, whose native library need not be loaded to
        // check chunks.)
        this.buffers = new BufferPool(2 * Runtime.getRuntime().availableProcessors() + 2, (int) index.align(index.chunkSize()));
    }

    /**
     * Opens the {@code pages.bin} of the snapshot in {@code dir} by its index alone, before the
     * manifest is read, so that checking the chunks can start at once; {@link SnapshotReader}
     * then matches {@link #indexDigest} against the manifest.
     *
     * @throws SnapshotException if the index is not a valid chunk index for that file
     */
    public static PageChunkReader open(Path dir) throws IOException {
        Path indexFile = dir.resolve(SnapshotFiles.PAGE_INDEX);
        byte[] json = Files.readAllBytes(indexFile);
        ChunkIndex index;
        try {
            index = ChunkIndexCodec.decode(json);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(indexFile, "is not a valid chunk index ("
                    + e.getMessage() + ")", e);
        }
        return new PageChunkReader(dir.resolve(SnapshotFiles.PAGES), index,
                new FileDigest(json.length, Checksums.crc32c(json, 0, json.length)));
    }

    /** Size and CRC32C of the index this reader was {@link #open opened} from. */
    FileDigest indexDigest() {
        return indexDigest;
    }

    private static FileChannel openDirect(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
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
        ByteBuffer stored = readVerified(c);
        ByteBuffer raw = stored;
        try {
            if (!c.storedRaw()) {
                raw = buffers.take();
                try {
                    long n = Zstd.decompressDirectByteBuffer(raw, 0, c.rawLength(), stored, 0, c.compressedLength());
                    if (n != c.rawLength()) {
                        throw new SnapshotException(file, describe(c) + " decompresses to " + n
                                + " bytes, not " + c.rawLength());
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
                target.write(c.offset() + (long) runs[r] * Pages.SIZE, raw.slice(pos, len));
                pos += len;
            }
        } finally {
            if (raw != stored) {
                buffers.give(raw);
            }
            buffers.give(stored);
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
     * Checks every chunk's checksum, on {@code threads} threads, without decompressing or writing
     * anything: what a lazy restore does before anything runs, so that a damaged image is refused
     * up front although its pages load later.
     */
    public void verifyChunks(int threads) throws IOException {
        ExecutorService pool = Workers.pool("snapshot-verify", threads);
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (Chunk c : index.chunks()) {
                tasks.add(pool.submit(() -> {
                    buffers.give(readVerified(c));
                    return null;
                }));
            }
            for (Future<?> t : tasks) {
                Workers.await(t, "page chunks");
            }
        } finally {
            Workers.stop(pool, tasks);
        }
    }

    /**
     * Checks every chunk's checksum without decompressing or writing anything, and returns the
     * digest of the whole file (chunks and the padding between them).
     */
    public FileDigest verify() throws IOException {
        for (Chunk c : index.chunks()) {
            buffers.give(readVerified(c));
        }
        return Checksums.digest(file);
    }

    /** The chunk's stored bytes in a pooled buffer (give it back), checked against its CRC32C. */
    private ByteBuffer readVerified(Chunk c) throws IOException {
        ByteBuffer buf = buffers.take();
        try {
            // Whole aligned blocks, so a direct channel can read them; the padding is ignored.
            long from = c.fileOffset();
            int span = (int) (index.align(from + c.compressedLength()) - from);
            FileChannel ch = direct != null && from % BlockFile.ALIGNMENT == 0 ? direct : channel;
            buf.limit(ch == direct ? span : c.compressedLength());
            while (buf.hasRemaining()) {
                // Positional reads: the channel is shared by all loader threads.
                if (ch.read(buf, from + buf.position()) < 0) {
                    throw new SnapshotException(file, "is truncated: " + describe(c) + " ends at byte "
                            + (c.fileOffset() + c.compressedLength()));
                }
            }
            buf.flip().limit(c.compressedLength());
            CRC32C crc = new CRC32C();
            crc.update(buf.duplicate());
            if (crc.getValue() != c.crc32c()) {
                throw new SnapshotException(file, "is corrupted: " + describe(c)
                        + " fails its CRC32C check");
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buffers.give(buf);
            throw e;
        }
    }

    private static String describe(Chunk c) {
        return String.format("chunk at memory offset 0x%x (file bytes %d..%d)", c.offset(),
                c.fileOffset(), c.fileOffset() + c.compressedLength());
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (direct != null) {
            direct.close();
        }
    }
}
