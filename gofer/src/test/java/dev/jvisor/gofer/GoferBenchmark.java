package dev.jvisor.gofer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Round-trip figures of the gofer protocol against a real gofer process, with the host's own
 * call as a baseline. Not a test: run with
 * {@code java -cp gofer/target/classes:gofer/target/test-classes dev.jvisor.gofer.GoferBenchmark}.
 */
public final class GoferBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gofer-bench");
        Path file = Files.write(dir.resolve("f"), new byte[1 << 20]);
        try (GoferProcess g = GoferProcess.start(List.of(new Export("b", dir, false)))) {
            GoferClient c = g.client();
            int root = c.attach("b").fid();
            int f = c.walk(root, "f").fid();
            c.open(f, OpenFlags.O_RDONLY);
            for (int round = 0; round < 3; round++) {
                report("gofer stat", 20_000, () -> c.stat(f));
                report("host lstat (unix:*)", 20_000, () -> Files.readAttributes(file, "unix:*", java.nio.file.LinkOption.NOFOLLOW_LINKS));
                report("gofer walk+clunk", 10_000, () -> c.clunk(c.walk(root, "f").fid()));
                report("gofer read 4 KiB", 20_000, () -> c.read(f, 0, 4096));
                report("gofer read 1 MiB", 500, () -> c.read(f, 0, 1 << 20));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    interface Op {
        void run() throws Exception;
    }

    private static void report(String what, int n, Op op) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        double us = (System.nanoTime() - t0) / 1e3 / n;
        System.out.printf("%-22s %8.1f us/op%n", what, us);
    }
}
