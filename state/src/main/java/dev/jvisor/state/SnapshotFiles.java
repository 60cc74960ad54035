package dev.jvisor.state;

/** The names of the files in a snapshot directory. */
public final class SnapshotFiles {
    /** The {@link Manifest}; written last, and a directory without it is not a snapshot. */
    public static final String MANIFEST = "manifest.json";
    /** The kernel object graph ({@link GraphWriter}). */
    public static final String KERNEL = "kernel.bin";
    /** The page chunks ({@link PageChunkWriter}). */
    public static final String PAGES = "pages.bin";
    /** The {@link ChunkIndex} of {@link #PAGES}, as JSON. */
    public static final String PAGE_INDEX = "pages.index.json";

    private SnapshotFiles() {}
}
