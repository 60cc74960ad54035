package dev.jvisor.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The platforms the end-to-end tests run on: system property {@code jvisor.platforms}, a comma-separated
 * list (default {@code systrap,ptrace}). This is the one switch for platform coverage, e.g.
 * {@code mvn -pl tests test -Djvisor.platforms=systrap} while a platform is being written.
 */
final class Platforms {
    static final String PROPERTY = "jvisor.platforms";
    static final String DEFAULT = "systrap,ptrace";

    private Platforms() {
    }

    static List<String> enabled() {
        List<String> out = new ArrayList<>();
        for (String p : System.getProperty(PROPERTY, DEFAULT).split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("-D" + PROPERTY + " names no platform");
        }
        return out;
    }

    /** For {@code @MethodSource("dev.jvisor.tests.Platforms#all")}. */
    static Stream<String> all() {
        return enabled().stream();
    }

    /** The platform for tests that need just one (snapshot validation, launcher errors). */
    static String first() {
        return enabled().get(0);
    }
}
