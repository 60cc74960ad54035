package dev.jvisor.state;

import java.util.List;

/**
 * Where every stored page of a snapshot lives in {@code pages.bin}. Stored as its own part,
 * {@code pages.index.json}, rather than inside the manifest: it grows with memory (one entry per
 * 4 MiB chunk) and keeps the manifest small enough to read at a glance. The manifest carries its
 * checksum like any other part's.
 *
 * @param chunks sorted by memory offset; memory not covered by a chunk's runs is zero
 * @param alignment every block starts at a multiple of this in {@code pages.bin}, and the file
 *     ends at one; the gaps are zero. The writer aligns blocks so it can write them with
 *     O_DIRECT; 0 (an index without the field) means 1, blocks back to back
 */
public record ChunkIndex(int pageSize, int chunkSize, Compression compression, int level,
        List<Chunk> chunks, int alignment) {

    /** Largest alignment a reader accepts (a gap is never more than one block). */
    static final int MAX_ALIGNMENT = 1 << 16;

    /** The alignment in bytes, at least 1. */
    public int blockAlignment() {
        return Math.max(1, alignment);
    }

    /** {@code offset} rounded up to the alignment. */
    public long align(long offset) {
        long a = blockAlignment();
        return (offset + a - 1) / a * a;
    }

    /** Bytes of {@code pages.bin} the index accounts for. */
    public long fileSize() {
        return chunks.isEmpty() ? 0 : align(chunks.get(chunks.size() - 1).fileOffset()
                + chunks.get(chunks.size() - 1).compressedLength());
    }

    /**
     * Checks that the index is self-consistent and describes a {@code pages.bin} of {@code
     * fileSize} bytes, so that a reader never reads or writes outside its bounds.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    public void validate(long fileSize) {
        require(pageSize == Pages.SIZE, "page size " + pageSize + " is not " + Pages.SIZE);
        require(chunkSize > 0 && chunkSize % pageSize == 0, "bad chunk size " + chunkSize);
        require(compression != null && chunks != null, "missing compression or chunks");
        require(alignment >= 0 && alignment <= MAX_ALIGNMENT && Integer.bitCount(blockAlignment()) == 1,
                "bad alignment " + alignment);
        long nextFileOffset = 0;
        long previous = -1;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String at = "chunk " + i + ": ";
            require(c.offset() > previous && c.offset() % chunkSize == 0, at + "misplaced");
            require(c.fileOffset() == align(nextFileOffset), at + "not where the previous block ends in pages.bin");
            require(c.compressedLength() > 0 && c.compressedLength() <= c.rawLength(),
                    at + "bad compressed length");
            require(compression == Compression.ZSTD || c.storedRaw(), at + "compressed in a "
                    + "NONE index");
            int[] runs = c.runs();
            require(runs != null && runs.length % 2 == 0, at + "bad runs");
            long pages = 0;
            int end = 0;
            for (int r = 0; r < runs.length; r += 2) {
                require(runs[r] >= end && runs[r + 1] > 0, at + "runs overlap or are empty");
                end = runs[r] + runs[r + 1];
                pages += runs[r + 1];
            }
            require((long) end * pageSize <= chunkSize, at + "runs exceed the chunk");
            require(pages * pageSize == c.rawLength(), at + "runs do not match the raw length");
            previous = c.offset();
            nextFileOffset = c.fileOffset() + c.compressedLength();
        }
        nextFileOffset = align(nextFileOffset);
        require(nextFileOffset == fileSize, "chunks cover " + nextFileOffset + " bytes of a "
                + fileSize + "-byte pages.bin");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
