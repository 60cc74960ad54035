package dev.jvisor.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host directory or file to serve in the sandbox at {@code destination} through the gofer: from
 * `jvisor do -v HOST:DEST[:ro]` or from a container's config.json mounts of kind bind.
 */
record BindMount(Path source, String destination, boolean readOnly) {
    /**
     * Parses Docker's volume syntax {@code HOST:DEST[:OPTIONS]} (options comma-separated: ro, rw).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec}
     */
    static BindMount parseVolume(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("bad volume '" + spec + "': expected HOST:DEST[:ro]");
        }
        boolean ro = false;
        if (parts.length == 3) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro" -> ro = true;
                    case "rw" -> ro = false;
                    default -> throw new IllegalArgumentException("bad volume '" + spec + "': unknown option '" + o
                            + "' (expected ro or rw)");
                }
            }
        }
        BindMount b = new BindMount(Path.of(parts[0]), parts[1], ro);
        b.check("volume '" + spec + "'");
        return b;
    }

    /**
     * Checks the source is an absolute path that exists and the destination is absolute.
     *
     * @throws IllegalArgumentException naming {@code what} and the problem
     */
    void check(String what) {
        if (source.toString().isEmpty() || !source.isAbsolute()) {
            throw new IllegalArgumentException("bad " + what + ": host path " + (source.toString().isEmpty() ? "is empty"
                    : "'" + source + "' is not absolute"));
        }
        if (destination.isEmpty() || !destination.startsWith("/")) {
            throw new IllegalArgumentException("bad " + what + ": destination " + (destination.isEmpty() ? "is empty"
                    : "'" + destination + "' is not an absolute path"));
        }
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("bad " + what + ": host path " + source + " does not exist");
        }
        if (!Files.isDirectory(source) && !Files.isRegularFile(source)) {
            throw new IllegalArgumentException("bad " + what + ": host path " + source
                    + " is neither a directory nor a regular file");
        }
    }

    /** Whether the source is a directory (else a single file), following the operator's symlinks. */
    boolean sourceIsDirectory() {
        return Files.isDirectory(source);
    }
}
