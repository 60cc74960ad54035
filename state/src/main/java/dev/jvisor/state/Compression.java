package dev.jvisor.state;

/** How page chunks are stored in {@code pages.bin}. */
public enum Compression {
    /** Non-zero pages stored as they are: for when the disk is faster than the CPU. */
    NONE,
    /** Each chunk an independent zstd frame, so chunks can be loaded in any order. */
    ZSTD
}
