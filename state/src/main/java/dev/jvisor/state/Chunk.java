package dev.jvisor.state;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One entry of the {@link ChunkIndex}: a window of memory whose non-zero pages are stored,
 * back to back, as one independently decodable block of {@code pages.bin}.
 *
 * @param offset memory offset of the window, a multiple of the index's chunk size
 * @param runs pairs {@code (first page, page count)} of the non-zero pages, relative to {@code
 *     offset}, in ascending order
 * @param rawLength bytes of page data before compression ({@code 4096 ×} pages in runs)
 * @param compressedLength bytes in {@code pages.bin}; equal to {@code rawLength} exactly when the
 *     block is stored uncompressed (the writer never keeps a compressed block that is not smaller)
 * @param fileOffset where the block starts in {@code pages.bin}
 * @param crc32c checksum of the block as stored
 */
public record Chunk(long offset, int[] runs, int rawLength, int compressedLength, long fileOffset,
        long crc32c) {

    @JsonIgnore
    public boolean storedRaw() {
        return compressedLength == rawLength;
    }

    @JsonIgnore
    public int pageCount() {
        return rawLength / Pages.SIZE;
    }
}
