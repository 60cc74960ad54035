package dev.jvisor.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Throughput of {@link PageChunkWriter} and {@link PageChunkReader} on 256 MiB of memory, half
 * random pages and half zero pages (and, to choose a zstd level, a compressible variant). Not a
 * test: run it with
 * {@code mvn -B -q -o -pl state test-compile exec:java
 * -Dexec.mainClass=dev.jvisor.state.PageChunkBenchmark -Dexec.classpathScope=test}.
 * Files go to the page cache; the fsync column is the extra time to make pages.bin durable.
 */
public final class PageChunkBenchmark {
    private static final int SIZE = 256 << 20;
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("page-bench");
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf("256 MiB, %d threads, 4 MiB chunks, best of %d%n", threads, ROUNDS);
        System.out.printf("%-26s %10s %10s %10s %10s %8s%n", "data / codec", "write MB/s",
                "+fsync ms", "read MB/s", "file MiB", "ratio");
        HeapMemory random = HeapMemory.mixed(SIZE, 0.5, 42);
        HeapMemory structured = structured(SIZE, 0.5, 42);
        for (HeapMemory data : List.of(random, structured)) {
            String name = data == random ? "half random" : "half structured";
            run(dir, name, data, PageOptions.defaults().withCompression(Compression.NONE, 0));
            for (int level : new int[] {1, 3}) {
                run(dir, name, data, PageOptions.defaults().withCompression(Compression.ZSTD, level));
            }
        }
        Durable.deleteTree(dir);
    }

    private static void run(Path dir, String name, HeapMemory data, PageOptions o)
            throws Exception {
        double bestWrite = 0;
        double bestRead = 0;
        long syncNanos = Long.MAX_VALUE;
        long fileBytes = 0;
        for (int i = 0; i < ROUNDS + 1; i++) {   // the first round warms up the JIT
            Path file = dir.resolve("pages-" + i + ".bin");
            PageChunkWriter.Result r = new PageChunkWriter(o).write(data, file);
            long t = System.nanoTime();
            Durable.sync(file);
            HeapMemory target = new HeapMemory(SIZE, List.of());
            PageStats read;
            try (PageChunkReader reader = new PageChunkReader(file, r.index())) {
                read = reader.readAll(target);
            }
            if (i > 0) {
                syncNanos = Math.min(syncNanos, System.nanoTime() - t);
                bestWrite = Math.max(bestWrite, r.stats().memoryMBps());
                bestRead = Math.max(bestRead, SIZE * 1e3 / read.nanos());
            }
            fileBytes = r.stats().fileBytes();
            Files.delete(file);
        }
        String codec = o.compression() == Compression.NONE ? "none" : "zstd-" + o.level();
        System.out.printf("%-26s %10.0f %10.0f %10.0f %10.1f %8.2f%n", name + " / " + codec,
                bestWrite, syncNanos / 1e6, bestRead, fileBytes / 1048576.0,
                (double) SIZE / fileBytes);
    }

    /** Pages like a program's heap: small integers and nearby pointers, compressible. */
    private static HeapMemory structured(int size, double share, long seed) {
        HeapMemory m = new HeapMemory(size, List.of(new MemoryRange(0, size)));
        Random rnd = new Random(seed);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m.bytes).order(
                java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < size; off += Pages.SIZE) {
            if (rnd.nextDouble() >= share) {
                continue;
            }
            for (int i = off; i < off + Pages.SIZE; i += 8) {
                b.putLong(i, rnd.nextInt(4) == 0 ? 0x7f00_0000_0000L + rnd.nextInt(1 << 20) * 16L
                        : rnd.nextInt(1000));
            }
        }
        return m;
    }
}
