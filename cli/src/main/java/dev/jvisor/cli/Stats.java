package dev.jvisor.cli;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.checkpoint.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * With JVISOR_STATS set, one line on stderr per checkpoint or restore with its duration, memory and
 * image size (read by bench/checkpoint.sh). Off by default so the app's stderr is the app's.
 */
final class Stats {
    private Stats() {}

    private static boolean enabled() {
        return System.getenv("JVISOR_STATS") != null;
    }

    /** {@code pauseNanos}: how long the app was stopped; {@code nanos}: until the image was complete. */
    static void checkpoint(Snapshots.Saved saved, long pauseNanos, long nanos, Path dir) {
        if (!enabled() || saved == null) {
            return;
        }
        long mem = saved.pages().memoryBytes();
        System.err.printf("jvisor: stats checkpoint ms=%.1f pause_ms=%.1f memory_bytes=%d image_bytes=%d mb_per_s=%.0f%n",
                nanos / 1e6, pauseNanos / 1e6, mem, size(dir), mem / 1e6 / (nanos / 1e9));
    }

    /**
     * {@code nanos}: from the restore command's start to the app running again; also given from the
     * start of this JVM ({@code process_ms}), which adds the JVM's own start-up.
     */
    static void restore(Kernel k, long nanos) {
        if (!enabled()) {
            return;
        }
        long resumedAt = System.currentTimeMillis();
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long mem = k.memory().allocator().allocatedBytes();
        System.err.printf("jvisor: stats restore ms=%.1f process_ms=%d memory_bytes=%d mb_per_s=%.0f%n", nanos / 1e6,
                resumedAt - jvmStart, mem, mem / 1e6 / (nanos / 1e9));
    }

    private static long size(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
