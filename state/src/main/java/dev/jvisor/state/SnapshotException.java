package dev.jvisor.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A snapshot cannot be written or used: it is missing, truncated, corrupted, of another format
 * version, or not a snapshot at all. The message always names the file at fault, so that it can be
 * shown to the user as is.
 */
public class SnapshotException extends IOException {
    private final Path file;

    public SnapshotException(Path file, String problem) {
        this(file, problem, null);
    }

    public SnapshotException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or directory) at fault. */
    public Path file() {
        return file;
    }
}
