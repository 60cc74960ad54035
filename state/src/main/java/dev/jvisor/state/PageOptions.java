package dev.jvisor.state;

/**
 * Settings of {@link PageChunkWriter}.
 *
 * @param compression how chunks are stored
 * @param level zstd level (ignored for {@link Compression#NONE})
 * @param chunkSize bytes of memory per chunk, a multiple of 4 KiB: the unit of parallel work and
 *     of lazy loading on restore
 * @param threads compression threads
 */
public record PageOptions(Compression compression, int level, int chunkSize, int threads) {
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;
    public static final int DEFAULT_LEVEL = 1;

    public PageOptions {
        if (chunkSize <= 0 || chunkSize % Pages.SIZE != 0) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of "
                    + Pages.SIZE + ": " + chunkSize);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
    }

    /** zstd level 1, 4 MiB chunks, one thread per processor. */
    public static PageOptions defaults() {
        return new PageOptions(Compression.ZSTD, DEFAULT_LEVEL, DEFAULT_CHUNK_SIZE,
                Runtime.getRuntime().availableProcessors());
    }

    public PageOptions withCompression(Compression c, int zstdLevel) {
        return new PageOptions(c, zstdLevel, chunkSize, threads);
    }

    public PageOptions withThreads(int n) {
        return new PageOptions(compression, level, chunkSize, n);
    }

    public PageOptions withChunkSize(int bytes) {
        return new PageOptions(compression, level, bytes, threads);
    }
}
