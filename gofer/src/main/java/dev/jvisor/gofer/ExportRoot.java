package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An export as the server uses it: the host path resolved once, at start-up, to a real path (the
 * operator's configuration is trusted, symlinks in it included; nothing below it is), and the
 * block size reported in its files' attributes.
 */
final class ExportRoot {
    private static final int DEFAULT_BLKSIZE = 4096;

    final String name;
    final Path root;
    final boolean readOnly;
    final int blksize;

    private ExportRoot(String name, Path root, boolean readOnly, int blksize) {
        this.name = name;
        this.root = root;
        this.readOnly = readOnly;
        this.blksize = blksize;
    }

    /**
     * Resolves an export.
     *
     * @throws IOException naming the export if its host path does not exist
     */
    static ExportRoot of(Export e) throws IOException {
        Path real;
        try {
            real = e.hostPath().toRealPath();
        } catch (IOException x) {
            throw new IOException("export '" + e.name() + "': cannot resolve " + e.hostPath() + ": " + x, x);
        }
        return new ExportRoot(e.name(), real, e.readOnly(), blockSize(real));
    }

    private static int blockSize(Path p) {
        try {
            FileStore store = Files.getFileStore(p);
            long size = store.getBlockSize();
            return size > 0 && size <= (1 << 20) ? (int) size : DEFAULT_BLKSIZE;
        } catch (IOException | UnsupportedOperationException e) {
            // No mount table entry (some containers): the figure is advisory anyway.
            return DEFAULT_BLKSIZE;
        }
    }

    /** Refuses a change to this export if it is read-only. */
    void checkWritable() throws GoferException {
        if (readOnly) {
            throw new GoferException(Errno.EROFS, "export '" + name + "' is read-only");
        }
    }

    @Override
    public String toString() {
        return name + "=" + root + (readOnly ? ":ro" : "");
    }
}
