package dev.jvisor.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a snapshot directory so that, whatever happens, the path holds either the previous
 * snapshot or the new one. Linux cannot rename a directory over a non-empty one (and
 * renameat2(RENAME_EXCHANGE) is out of Java's reach), so the old one is first renamed aside; a
 * crash between the two renames leaves it there, and {@link #recover} puts it back.
 *
 * <p>Not safe for two writers on the same path at once.
 */
final class SnapshotDirs {
    private SnapshotDirs() {}

    static Path temp(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".jvisor-tmp");
    }

    static Path aside(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".jvisor-old");
    }

    /** Undoes what a crashed writer left: a half-written temp dir, a swap cut in half. */
    static void recover(Path dir) throws IOException {
        Path old = aside(dir);
        if (Files.exists(old)) {
            if (Files.exists(dir)) {
                Durable.deleteTree(old);
            } else {
                Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Durable.deleteTree(temp(dir));
    }

    /** Refuses to replace anything that is neither absent, empty, nor a snapshot. */
    static void checkReplaceable(Path dir) throws IOException {
        if (!Files.exists(dir) || Files.exists(dir.resolve(SnapshotFiles.MANIFEST))) {
            return;
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (!entries.iterator().hasNext()) {
                    return;
                }
            }
        }
        throw new SnapshotException(dir, "exists and is not a jvisor snapshot; refusing to"
                + " replace it");
    }

    /** Atomically makes the complete snapshot in {@code temp} the one at {@code dir}. */
    static void replace(Path temp, Path dir) throws IOException {
        Path old = aside(dir);
        boolean hadOld = Files.exists(dir);
        if (hadOld) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (hadOld) {
                Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        Durable.sync(dir.getParent());
        if (hadOld) {
            try {
                Durable.deleteTree(old);
            } catch (IOException e) {
                // Harmless: the new snapshot is in place, and the next writer removes it.
            }
        }
    }
}
