package dev.jvisor.kernel.mm;

/** A run of populated app pages backed by a contiguous range of the memory file. */
public final class Extent {
    long fileOffset;
    long length;

    Extent(long fileOffset, long length) {
        this.fileOffset = fileOffset;
        this.length = length;
    }
}
