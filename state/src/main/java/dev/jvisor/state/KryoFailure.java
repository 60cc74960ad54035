package dev.jvisor.state;

import java.nio.file.Path;

/** Turns a Kryo failure into a {@link SnapshotException} a person can read. */
final class KryoFailure {
    // Kryo appends one "serialization trace" line per level of nesting, so a failure deep in a
    // long list carries a message of a hundred thousand lines.
    private static final int MAX_LINES = 12;

    private KryoFailure() {}

    static SnapshotException of(Path file, String action, RuntimeException e) {
        String[] lines = String.valueOf(e.getMessage()).split("\n");
        String message = lines.length <= MAX_LINES ? String.join("\n", lines)
                : String.join("\n", java.util.Arrays.copyOf(lines, MAX_LINES))
                        + "\n… (" + (lines.length - MAX_LINES) + " more lines)";
        return new SnapshotException(file, action + ": " + message, e);
    }
}
