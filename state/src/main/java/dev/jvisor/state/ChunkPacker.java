package dev.jvisor.state;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Turns one chunk window of memory into a stored block: drops zero pages, then compresses. Works
 * on views of the memory and pooled direct buffers, so the only copy is the gathering of the
 * non-zero pages into the block.
 */
final class ChunkPacker {
    /**
     * A packed window; {@code rawLength == 0} (and no data) when all of its pages were zero. The
     * data buffer (positioned at 0, limited to {@code length}) goes back to its pool with {@link
     * #release}.
     */
    record Packed(long base, int[] runs, int rawLength, ByteBuffer data, int length, long crc32c,
            long populatedBytes, long zeroPages, BufferPool owner) {
        void release() {
            if (owner != null) {
                owner.give(data);
            }
        }
    }

    /** Bytes compressed from each of a few spots of a block to guess whether it compresses. */
    private static final int SAMPLE = 16 << 10;
    private static final int SAMPLES = 4;
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(Pages.SIZE).asReadOnlyBuffer();
    private static final ThreadLocal<ByteBuffer> SAMPLE_OUT = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect((int) Zstd.compressBound(SAMPLE)));

    private final MemorySource source;
    private final Compression compression;
    private final int level;
    private final BufferPool rawBuffers;
    private final BufferPool compressedBuffers;

    ChunkPacker(MemorySource source, Compression compression, int level, int chunkSize, int buffers) {
        this.source = source;
        this.compression = compression;
        this.level = level;
        this.rawBuffers = new BufferPool(buffers, chunkSize);
        this.compressedBuffers = compression == Compression.ZSTD
                ? new BufferPool(buffers, (int) Zstd.compressBound(chunkSize)) : null;
    }

    Packed pack(ChunkPlan.Window w) throws IOException {
        ByteBuffer raw = rawBuffers.take();
        int[] runs = new int[w.span() / Pages.SIZE * 2 + 2];
        int n = 0;
        for (MemoryRange part : w.parts()) {
            ByteBuffer view = source.view(part.offset(), (int) part.length());
            int first = (int) ((part.offset() - w.base()) / Pages.SIZE);
            int pages = (int) (part.length() / Pages.SIZE);
            for (int i = 0; i < pages; i++) {
                ByteBuffer page = view.slice(i * Pages.SIZE, Pages.SIZE);
                if (page.mismatch(ZERO_PAGE) < 0) {
                    continue;
                }
                raw.put(page);
                int at = first + i;
                if (n > 0 && runs[n - 2] + runs[n - 1] == at) {
                    runs[n - 1]++;
                } else {
                    runs[n++] = at;
                    runs[n++] = 1;
                }
            }
            source.consumed(part.offset(), part.length());
        }
        raw.flip();
        int rawLength = raw.limit();
        long populated = w.populatedBytes();
        long zeroPages = populated / Pages.SIZE - rawLength / Pages.SIZE;
        if (rawLength == 0) {
            rawBuffers.give(raw);
            return new Packed(w.base(), new int[0], 0, null, 0, 0, populated, zeroPages, null);
        }
        ByteBuffer data = raw;
        BufferPool owner = rawBuffers;
        if (compression == Compression.ZSTD && worthCompressing(raw)) {
            ByteBuffer out = compressedBuffers.take();
            long c = Zstd.compressDirectByteBuffer(out, 0, out.capacity(), raw, 0, rawLength, level);
            if (Zstd.isError(c)) {
                throw new IOException("zstd: " + Zstd.getErrorName(c));
            }
            // Data that does not compress is stored raw: restore is then a plain copy.
            if (c < rawLength) {
                rawBuffers.give(raw);
                out.limit((int) c);
                data = out;
                owner = compressedBuffers;
            } else {
                compressedBuffers.give(out);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return new Packed(w.base(), Arrays.copyOf(runs, n), rawLength, data, data.limit(),
                crc.getValue(), populated, zeroPages, owner);
    }

    /**
     * Whether a few samples of the block shrink by a tenth: random or already compressed memory
     * (half of a typical benchmark, media, compressed heaps) then skips a futile full pass.
     */
    private boolean worthCompressing(ByteBuffer raw) {
        int len = raw.limit();
        if (len <= SAMPLE * SAMPLES) {
            return true;
        }
        ByteBuffer out = SAMPLE_OUT.get();
        long in = 0;
        long packed = 0;
        for (int s = 0; s < SAMPLES; s++) {
            int at = (int) ((long) (len - SAMPLE) * s / (SAMPLES - 1));
            long c = Zstd.compressDirectByteBuffer(out, 0, out.capacity(), raw, at, SAMPLE, level);
            if (Zstd.isError(c)) {
                return true;
            }
            in += SAMPLE;
            packed += c;
        }
        return packed * 10 < in * 9;
    }
}
