package dev.jvisor.state;

/** A page-aligned range of the memory file: {@code [offset, offset + length)}. */
public record MemoryRange(long offset, long length) {
    public MemoryRange {
        if (offset < 0 || length <= 0 || offset % Pages.SIZE != 0 || length % Pages.SIZE != 0) {
            throw new IllegalArgumentException("not a page-aligned range: offset " + offset
                    + ", length " + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
