package dev.jvisor.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Throughput of {@link PageChunkWriter} and {@link PageChunkReader} on 256 MiB of memory, half
 * random pages and half zero pages (and, to choose a zstd level, half pages of libjvm.so). Not a
 * test: run it with
 * {@code mvn -B -q -o -pl state test-compile exec:java
 * -Dexec.mainClass=dev.jvisor.state.PageChunkBenchmark -Dexec.classpathScope=test}.
 * Files go to the page cache; the fsync column is the extra time to make pages.bin durable.
 */
public final class PageChunkBenchmark {
    private static final int SIZE = 256 << 20;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("page-bench");
        int threads = Runtime.getRuntime().availableProcessors();
        HeapMemory random = HeapMemory.mixed(SIZE, 0.5, 42);
        HeapMemory libjvm = realistic(SIZE, 0.5, 42);
        List<PageOptions> codecs = List.of(
                PageOptions.defaults().withCompression(Compression.NONE, 0),
                PageOptions.defaults().withCompression(Compression.ZSTD, 1),
                PageOptions.defaults().withCompression(Compression.ZSTD, 3));
        // Warm every code path up before measuring any of them.
        for (HeapMemory data : List.of(random, libjvm)) {
            for (PageOptions o : codecs) {
                measure(dir, data, o);
            }
        }
        System.out.printf("256 MiB, %d threads, 4 MiB chunks, best of %d%n", threads, ROUNDS);
        System.out.printf("%-26s %10s %10s %10s %10s %8s%n", "data / codec", "write MB/s",
                "+fsync ms", "read MB/s", "file MiB", "ratio");
        for (HeapMemory data : List.of(random, libjvm)) {
            for (PageOptions o : codecs) {
                double[] best = {0, Double.MAX_VALUE, 0, 0};
                for (int i = 0; i < ROUNDS; i++) {
                    double[] r = measure(dir, data, o);
                    best = new double[] {Math.max(best[0], r[0]), Math.min(best[1], r[1]),
                            Math.max(best[2], r[2]), r[3]};
                }
                String codec = o.compression() == Compression.NONE ? "none" : "zstd-" + o.level();
                System.out.printf("%-26s %10.0f %10.0f %10.0f %10.1f %8.2f%n",
                        (data == random ? "half random" : "half libjvm.so") + " / " + codec,
                        best[0], best[1], best[2], best[3] / 1048576.0, SIZE / best[3]);
            }
        }
        Durable.deleteTree(dir);
    }

    /** Write MB/s, fsync ms, read MB/s, file bytes. */
    private static double[] measure(Path dir, HeapMemory data, PageOptions o) throws Exception {
        Path file = dir.resolve("pages.bin");
        PageChunkWriter.Result r = new PageChunkWriter(o).write(data, file);
        long t = System.nanoTime();
        Durable.sync(file);
        double syncMs = (System.nanoTime() - t) / 1e6;
        HeapMemory target = new HeapMemory(SIZE, List.of());
        PageStats read;
        try (PageChunkReader reader = new PageChunkReader(file, r.index())) {
            read = reader.readAll(target);
        }
        Files.delete(file);
        return new double[] {r.stats().memoryMBps(), syncMs, SIZE * 1e3 / read.nanos(),
                r.stats().fileBytes()};
    }

    /**
     * Half of the pages zero, the other half cut, in order, from the JVM's own libjvm.so: real
     * machine code and data, compressible the way a program's memory is.
     */
    private static HeapMemory realistic(int size, double share, long seed) throws Exception {
        byte[] code = Files.readAllBytes(Path.of(System.getProperty("java.home"), "lib",
                "server", "libjvm.so"));
        HeapMemory m = new HeapMemory(size, List.of(new MemoryRange(0, size)));
        Random rnd = new Random(seed);
        int from = 0;
        for (int off = 0; off < size; off += Pages.SIZE) {
            if (rnd.nextDouble() < share) {
                System.arraycopy(code, from, m.bytes, off, Pages.SIZE);
                from = (from + Pages.SIZE) % (code.length - Pages.SIZE);
            }
        }
        return m;
    }
}
