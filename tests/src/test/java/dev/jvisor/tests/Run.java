package dev.jvisor.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One finished (or timed-out) process: its exit code and everything it wrote. Built by {@link Jvisor}
 * and {@link Native}; the launching code is shared here.
 */
final class Run {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    final List<String> command;
    final int exitCode;
    final byte[] stdoutBytes;
    final byte[] stderrBytes;
    final boolean timedOut;
    final long pid;
    final Duration elapsed;

    private Run(List<String> command, int exitCode, byte[] out, byte[] err, boolean timedOut, long pid, Duration elapsed) {
        this.command = command;
        this.exitCode = exitCode;
        this.stdoutBytes = out;
        this.stderrBytes = err;
        this.timedOut = timedOut;
        this.pid = pid;
        this.elapsed = elapsed;
    }

    String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    /** Non-empty lines of stderr. */
    List<String> stderrLines() {
        List<String> lines = new ArrayList<>();
        for (String l : stderr().split("\n")) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** A Java stack trace (or an uncaught exception report) on stderr: never acceptable. */
    boolean hasJavaStackTrace() {
        String e = stderr();
        return e.contains("\tat ") || e.contains("Exception in thread") || e.matches("(?s).*\\bjava\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*");
    }

    /** What a failed assertion should show: the command, exit code and both outputs (shortened). */
    String describe() {
        StringBuilder cmd = new StringBuilder();
        for (String a : command) {
            cmd.append(cmd.length() == 0 ? "" : " ").append(a.length() <= 120 ? a : a.substring(0, 60) + "[... " + a.length() + " chars]");
        }
        return "command: " + cmd + "\nexit code: " + exitCode + (timedOut ? " (TIMED OUT after " + elapsed.toSeconds() + " s, killed)" : "")
                + "\n--- stdout ---\n" + shorten(stdout()) + "\n--- stderr ---\n" + shorten(stderr()) + "\n---";
    }

    private static String shorten(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 2000) + "\n[... " + (s.length() - 4000) + " chars ...]\n" + s.substring(s.length() - 2000);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Builder shared by {@link Jvisor} and {@link Native}. */
    static final class Spec {
        private final List<String> command;
        private byte[] stdin;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private Consumer<Process> whileRunning;

        Spec(List<String> command) {
            this.command = List.copyOf(command);
        }

        /** Bytes fed to stdin (default: /dev/null). */
        Spec stdin(byte[] bytes) {
            this.stdin = bytes;
            return this;
        }

        Spec stdin(String s) {
            return stdin(s.getBytes(StandardCharsets.UTF_8));
        }

        Spec env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Spec timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /** Called on the test thread right after the process starts (e.g. to watch its children). */
        Spec whileRunning(Consumer<Process> c) {
            this.whileRunning = c;
            return this;
        }

        Run run() {
            Path dir = Jvisor.scratch("run");
            File out = dir.resolve("stdout").toFile();
            File err = dir.resolve("stderr").toFile();
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
                pb.environment().putAll(env);
                if (stdin == null) {
                    pb.redirectInput(new File("/dev/null"));
                } else {
                    File in = dir.resolve("stdin").toFile();
                    Files.write(in.toPath(), stdin);
                    pb.redirectInput(in);
                }
                long t0 = System.nanoTime();
                Process p = pb.start();
                if (whileRunning != null) {
                    whileRunning.accept(p);
                }
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
                Run r = new Run(command, done ? p.exitValue() : -1, Files.readAllBytes(out.toPath()),
                        Files.readAllBytes(err.toPath()), !done, p.pid(), elapsed);
                Jvisor.deleteTree(dir);
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
