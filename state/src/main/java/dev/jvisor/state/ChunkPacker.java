package dev.jvisor.state;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.util.Arrays;

/** Turns one chunk window of memory into a stored block: drops zero pages, then compresses. */
final class ChunkPacker {
    /** A packed window; {@code rawLength == 0} when all of its pages were zero. */
    record Packed(long base, int[] runs, int rawLength, byte[] data, int length, long crc32c,
            long populatedBytes, long zeroPages) {}

    private final MemorySource source;
    private final Compression compression;
    private final int level;

    ChunkPacker(MemorySource source, Compression compression, int level) {
        this.source = source;
        this.compression = compression;
        this.level = level;
    }

    Packed pack(ChunkPlan.Window w) throws IOException {
        // A fresh array is zero, so holes between the window's populated parts read as zero
        // pages and are dropped like any other.
        byte[] buf = new byte[w.span()];
        for (MemoryRange part : w.parts()) {
            source.read(part.offset(), buf, (int) (part.offset() - w.base()), (int) part.length());
        }
        int pages = buf.length / Pages.SIZE;
        int[] runs = new int[pages + 1];
        int n = 0;
        int kept = 0;
        for (int page = 0; page < pages; page++) {
            if (Pages.isZero(buf, page * Pages.SIZE)) {
                continue;
            }
            if (kept != page) {
                System.arraycopy(buf, page * Pages.SIZE, buf, kept * Pages.SIZE, Pages.SIZE);
            }
            if (n > 0 && runs[n - 2] + runs[n - 1] == page) {
                runs[n - 1]++;
            } else {
                runs[n++] = page;
                runs[n++] = 1;
            }
            kept++;
        }
        int raw = kept * Pages.SIZE;
        long populated = w.populatedBytes();
        long zeroPages = populated / Pages.SIZE - kept;
        byte[] data = buf;
        int length = raw;
        if (compression == Compression.ZSTD && raw > 0) {
            byte[] out = new byte[(int) Zstd.compressBound(raw)];
            int c = (int) Zstd.compressByteArray(out, 0, out.length, buf, 0, raw, level);
            // Random data does not compress; storing it raw makes restore a plain copy.
            if (c < raw) {
                data = out;
                length = c;
            }
        }
        return new Packed(w.base(), Arrays.copyOf(runs, n), raw, data, length,
                Checksums.crc32c(data, 0, length), populated, zeroPages);
    }
}
