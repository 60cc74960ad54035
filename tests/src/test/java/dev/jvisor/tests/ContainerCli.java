package dev.jvisor.tests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code ./jvisor --root ROOT ARGS...} as a user would, for the container lifecycle tests. The
 * output goes to files, not pipes: a detached sandbox keeps the caller's stdout open long after the
 * command itself has exited.
 */
final class ContainerCli {
    /** A finished command: exit code and what it wrote. */
    record Result(List<String> command, int code, String out, String err) {
        /** The non-empty lines of stderr. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit code " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private static final long TIMEOUT_S = 180;
    private final Path root;
    private final Path work;
    private final AtomicInteger counter = new AtomicInteger();

    ContainerCli(Path root, Path work) {
        this.root = root;
        this.work = work;
    }

    Path root() {
        return root;
    }

    /** Runs the command, capturing both outputs. */
    Result run(String... args) {
        int n = counter.incrementAndGet();
        return run(work.resolve("out-" + n), work.resolve("err-" + n), args);
    }

    /** Runs the command with stdout and stderr on these files (which a detached container keeps writing). */
    Result run(Path stdout, Path stderr, String... args) {
        return runWithStdin(Path.of("/dev/null"), stdout, stderr, args);
    }

    /** {@code jvisor --root ROOT ARGS...} reading {@code stdin}. */
    Result runWithStdin(Path stdin, String... args) {
        int n = counter.incrementAndGet();
        return runWithStdin(stdin, work.resolve("out-" + n), work.resolve("err-" + n), args);
    }

    private Result runWithStdin(Path stdin, Path stdout, Path stderr, String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return runBare(stdin, stdout, stderr, all);
    }

    /** Runs {@code jvisor ARGS...} exactly as given (no --root added). */
    Result runBare(String... args) {
        int n = counter.incrementAndGet();
        return runBare(Path.of("/dev/null"), work.resolve("out-" + n), work.resolve("err-" + n), List.of(args));
    }

    private Result runBare(Path stdin, Path stdout, Path stderr, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Bundle.home().resolve("jvisor").toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(stdin.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Result(cmd, p.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state.json of a container (the sandbox's own record). */
    JsonNode stateFile(String id) {
        try {
            return Bundle.JSON.readTree(root.resolve(id).resolve("state.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills every sandbox process still recorded under the root (test clean-up, no JVM per container). */
    void killAll() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path d : ds) {
                Path state = d.resolve("state.json");
                if (Files.exists(state)) {
                    long pid = Bundle.JSON.readTree(state.toFile()).path("pid").asLong();
                    ProcessHandle.of(pid).ifPresent(h -> {
                        if (h.info().commandLine().map(c -> c.contains("dev.jvisor.cli.Main")).orElse(false)) {
                            h.destroyForcibly();
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code file} has at least {@code lines} lines (the app is visibly running). */
    static void awaitLines(Path file, int lines, long timeoutMs) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (Files.readAllLines(file, StandardCharsets.UTF_8).size() < lines) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(file + " has fewer than " + lines + " lines after " + timeoutMs + " ms:\n"
                        + Files.readString(file));
            }
            Thread.sleep(50);
        }
    }
}
