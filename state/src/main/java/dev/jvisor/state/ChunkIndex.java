package dev.jvisor.state;

import java.util.List;

/**
 * Where every stored page of a snapshot lives in {@code pages.bin}. Stored as its own part,
 * {@code pages.index.json}, rather than inside the manifest: it grows with memory (one entry per
 * 4 MiB chunk) and keeps the manifest small enough to read at a glance. The manifest carries its
 * checksum like any other part's.
 *
 * @param chunks sorted by memory offset; memory not covered by a chunk's runs is zero
 */
public record ChunkIndex(int pageSize, int chunkSize, Compression compression, int level,
        List<Chunk> chunks) {

    /** Bytes of {@code pages.bin} the index accounts for. */
    public long fileSize() {
        return chunks.stream().mapToLong(Chunk::compressedLength).sum();
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
        long nextFileOffset = 0;
        long previous = -1;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String at = "chunk " + i + ": ";
            require(c.offset() > previous && c.offset() % chunkSize == 0, at + "misplaced");
            require(c.fileOffset() == nextFileOffset, at + "not contiguous in pages.bin");
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
            nextFileOffset += c.compressedLength();
        }
        require(nextFileOffset == fileSize, "chunks cover " + nextFileOffset + " bytes of a "
                + fileSize + "-byte pages.bin");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
