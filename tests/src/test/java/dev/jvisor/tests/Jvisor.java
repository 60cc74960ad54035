package dev.jvisor.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs the {@code jvisor} launcher of the checkout under test ({@code -Djvisor.home}, set by the tests
 * module's surefire configuration) as a separate process, the way a user would.
 */
final class Jvisor {
    private static final AtomicLong COUNTER = new AtomicLong();

    private Jvisor() {
    }

    /** The repository root (where the {@code jvisor} launcher lives). */
    static Path home() {
        String h = System.getProperty("jvisor.home");
        Path p = h != null ? Path.of(h) : Path.of("..");
        p = p.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("jvisor"))) {
            throw new IllegalStateException("no jvisor launcher in " + p + " (set -Djvisor.home)");
        }
        return p;
    }

    static Path launcher() {
        return home().resolve("jvisor");
    }

    /** A compiled C sample (samples/c/NAME.c, built static by the Maven build). */
    static Path sample(String name) {
        Path p = home().resolve("samples/target/c").resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("sample " + p + " is missing; build first: mvn -B -q -o install -DskipTests");
        }
        return p;
    }

    /**
     * A fresh directory under tests/target (not /tmp: the sandbox's /tmp is its own, so programs and
     * files the sandbox must see live in the checkout).
     */
    static Path scratch(String what) {
        Path p = home().resolve("tests/target/e2e").resolve(what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        try {
            deleteTree(p);
            Files.createDirectories(p);
        } catch (UncheckedIOException | IOException e) {
            throw new IllegalStateException("cannot create " + p, e);
        }
        return p;
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code jvisor ARGS...}. */
    static Run.Spec cmd(String... args) {
        List<String> c = new ArrayList<>();
        c.add(launcher().toString());
        c.addAll(Arrays.asList(args));
        return new Run.Spec(c);
    }

    static Run.Spec cmd(List<String> args) {
        return cmd(args.toArray(new String[0]));
    }

    /** {@code jvisor do --platform P -- PROGRAM ARGS...}. */
    static Run.Spec run(String platform, Path program, String... args) {
        List<String> c = new ArrayList<>(List.of("do", "--platform", platform, "--", program.toString()));
        c.addAll(Arrays.asList(args));
        return cmd(c);
    }

    /** {@code jvisor do --platform P -- SAMPLE ARGS...}. */
    static Run.Spec sample(String platform, String name, String... args) {
        return run(platform, sample(name), args);
    }
}
