package dev.jvisor.state;

/**
 * Counters of one page transfer, for logs and throughput figures.
 *
 * @param memoryBytes memory scanned (writing: populated ranges) or written (reading)
 * @param pageBytes non-zero page data before compression
 * @param fileBytes bytes of {@code pages.bin} written or read
 * @param zeroPages all-zero pages found in populated ranges and skipped (writing only)
 * @param chunks chunks written or read
 * @param nanos wall-clock time
 */
public record PageStats(long memoryBytes, long pageBytes, long fileBytes, long zeroPages,
        int chunks, long nanos) {

    /** Memory throughput in MB/s (10^6 bytes per second). */
    public double memoryMBps() {
        return nanos == 0 ? 0 : memoryBytes * 1e3 / nanos;
    }

    @Override
    public String toString() {
        return String.format("%d chunks, memory %d B, pages %d B, file %d B, %d zero pages"
                + " skipped, %.1f ms (%.0f MB/s)", chunks, memoryBytes, pageBytes, fileBytes,
                zeroPages, nanos / 1e6, memoryMBps());
    }
}
