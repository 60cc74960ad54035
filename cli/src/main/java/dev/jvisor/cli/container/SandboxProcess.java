package dev.jvisor.cli.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Liveness of a sandbox process by pid, read from /proc rather than {@link ProcessHandle}: the
 * sandbox is not our child, may be a zombie if nothing reaps it, and its pid may be recycled.
 */
public final class SandboxProcess {
    private SandboxProcess() {}

    /** Start time of {@code pid} in clock ticks since boot, if it exists and is not a zombie. */
    public static Optional<Long> startTime(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        char state = f[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(f[19]));
    }

    /** Whether the process {@code pid} that started at {@code startTime} still runs. */
    public static boolean alive(long pid, long startTime) {
        return startTime(pid).map(t -> startTime == 0 || t == startTime).orElse(false);
    }

    /** Waits up to {@code timeout} for the process to end; true if it did. */
    public static boolean awaitExit(long pid, long startTime, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid, startTime)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** SIGKILLs the process if it is still the sandbox (a last resort when it does not answer). */
    public static void kill(long pid, long startTime) {
        if (alive(pid, startTime)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
