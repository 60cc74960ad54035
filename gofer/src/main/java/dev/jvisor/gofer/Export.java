package dev.jvisor.gofer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A host directory (or single file) that the gofer serves under a name: the sandbox's root file
 * system or a bind mount. On the gofer's command line: {@code name=/host/path[:ro|:rw]}.
 */
public record Export(String name, Path hostPath, boolean readOnly) {
    public Export {
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > Protocol.MAX_SYMLINK) {
            throw new IllegalArgumentException("bad export name '" + name + "': must be 1 to 4095 bytes, without '=' or NUL");
        }
        if (hostPath == null || !hostPath.isAbsolute()) {
            throw new IllegalArgumentException("export '" + name + "': host path must be absolute, got " + hostPath);
        }
    }

    /**
     * Parses {@code name=/host/path[:ro|:rw]}; without a suffix the export is writable.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Export parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("bad export '" + spec + "': expected name=/host/path[:ro]");
        }
        String name = spec.substring(0, eq);
        String path = spec.substring(eq + 1);
        boolean readOnly = false;
        if (path.endsWith(":ro")) {
            readOnly = true;
            path = path.substring(0, path.length() - 3);
        } else if (path.endsWith(":rw")) {
            path = path.substring(0, path.length() - 3);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("bad export '" + spec + "': empty host path");
        }
        return new Export(name, Path.of(path), readOnly);
    }

    /** The command-line form; always suffixed, so a path that itself ends in ":ro" survives. */
    public String toArgument() {
        return name + "=" + hostPath + (readOnly ? ":ro" : ":rw");
    }
}
