package dev.jvisor.cli;

import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.state.Compression;
import dev.jvisor.state.PageOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** `do --checkpoint-after`: checkpoints the sandbox once, after a delay, from a background thread. */
final class CheckpointTrigger {
    private final Duration delay;
    private final Path dir;
    private final PageOptions pages;
    private final boolean leaveRunning;
    private volatile String failure;

    private CheckpointTrigger(Duration delay, Path dir, PageOptions pages, boolean leaveRunning) {
        this.delay = delay;
        this.dir = dir;
        this.pages = pages;
        this.leaveRunning = leaveRunning;
    }

    static CheckpointTrigger parse(CommandLine cmd, String after, Path dir, String compression, boolean leaveRunning) {
        if (dir == null) {
            throw new ParameterException(cmd, "--checkpoint-after needs --image-path");
        }
        return new CheckpointTrigger(parseDuration(cmd, after), dir, pageOptions(cmd, compression), leaveRunning);
    }

    static PageOptions pageOptions(CommandLine cmd, String compression) {
        return switch (compression) {
            case "zstd" -> PageOptions.defaults();
            case "none" -> PageOptions.defaults().withCompression(Compression.NONE, 0);
            default -> throw new ParameterException(cmd, "unknown compression '" + compression + "' (expected zstd or none)");
        };
    }

    static Duration parseDuration(CommandLine cmd, String s) {
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new ParameterException(cmd, "bad duration '" + s + "' (e.g. 250ms, 2s)");
        }
    }

    void arm(KernelRuntime rt) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
                Checkpointing.run(rt, dir, pages, leaveRunning, Map.of("rootfs", "/"));
            } catch (Exception e) {
                failure = e.getMessage() != null ? e.getMessage() : e.toString();
            }
        }, "checkpoint-trigger");
        t.setDaemon(true);
        t.start();
    }

    String failure() {
        return failure;
    }
}
