package dev.jvisor.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Future;

/**
 * Opens a snapshot directory and hands out its parts, refusing — with a {@link SnapshotException}
 * naming the file — anything missing, truncated, corrupted, of a newer format, or not a snapshot.
 *
 * <p>{@link #open} checks the manifest, the size of every part, and the checksum of every part but
 * {@code pages.bin}: that one can be gigabytes, so instead of reading it twice each of its chunks
 * is checked as it is loaded, before any of its bytes reach the memory target. {@link #verify}
 * reads everything, for tools and for restore paths that want a full check up front.
 */
public final class SnapshotReader implements Closeable {
    private final Path dir;
    private final Manifest manifest;
    private final PageChunkReader pages;

    private SnapshotReader(Path dir, Manifest manifest, PageChunkReader pages) {
        this.dir = dir;
        this.manifest = manifest;
        this.pages = pages;
    }

    /** Opens and checks the snapshot in {@code dir}. */
    public static SnapshotReader open(Path dir) throws IOException {
        return open(dir, null);
    }

    /**
     * Like {@link #open(Path)}, with its {@code pages.bin} already being opened from the index
     * ({@link PageChunkReader#open}, typically on another thread that goes on checking chunks):
     * the index it parsed must be the one the manifest lists. If this fails before taking the
     * reader from {@code pages}, closing it is the caller's.
     */
    public static SnapshotReader open(Path dir, Future<PageChunkReader> pages) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new SnapshotException(root, Files.exists(root) ? "is not a directory"
                    : "does not exist");
        }
        Path manifestFile = root.resolve(SnapshotFiles.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new SnapshotException(root, "is not a jvisor snapshot (no "
                    + SnapshotFiles.MANIFEST + ")");
        }
        Manifest m = ManifestCodec.decode(manifestFile, Files.readAllBytes(manifestFile));
        for (String required : new String[] {SnapshotFiles.KERNEL, SnapshotFiles.PAGES,
                SnapshotFiles.PAGE_INDEX}) {
            if (m.part(required).isEmpty()) {
                throw new SnapshotException(manifestFile, "lists no " + required);
            }
        }
        for (Manifest.Part p : m.parts()) {
            checkSize(root, p);
            if (!p.name().equals(SnapshotFiles.PAGES)) {
                checkDigest(root.resolve(p.name()), p, Checksums.digest(root.resolve(p.name())));
            }
        }
        PageChunkReader reader = pages == null ? PageChunkReader.open(root)
                : Workers.await(pages, SnapshotFiles.PAGE_INDEX);
        try {
            checkDigest(root.resolve(SnapshotFiles.PAGE_INDEX), m.part(SnapshotFiles.PAGE_INDEX).orElseThrow(),
                    reader.indexDigest());
        } catch (SnapshotException e) {
            reader.close();
            throw e;
        }
        return new SnapshotReader(root, m, reader);
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path directory() {
        return dir;
    }

    /** Reads the kernel graph, whose root must be a {@code rootType}. */
    public <T> T readKernel(ClassRegistry registry, Class<T> rootType) throws IOException {
        return new GraphReader(registry).read(dir.resolve(SnapshotFiles.KERNEL), rootType);
    }

    /** {@link #readKernel(ClassRegistry, Class)} with a Kryo already being built. */
    public <T> T readKernel(PreparedKryo kryo, Class<T> rootType) throws IOException {
        return new GraphReader(kryo).read(dir.resolve(SnapshotFiles.KERNEL), rootType);
    }

    /** Loads every stored page into {@code target}, in parallel. */
    public PageStats readPages(MemoryTarget target) throws IOException {
        return pages.readAll(target);
    }

    /** The page chunks, for loading them lazily. */
    public PageChunkReader pages() {
        return pages;
    }

    /** Reads every part again and checks every checksum, including each page chunk's. */
    public void verify() throws IOException {
        for (Manifest.Part p : manifest.parts()) {
            Path file = dir.resolve(p.name());
            checkDigest(file, p, p.name().equals(SnapshotFiles.PAGES) ? pages.verify()
                    : Checksums.digest(file));
        }
    }

    private static void checkSize(Path root, Manifest.Part p) throws IOException {
        Path file = root.resolve(p.name());
        if (!Files.isRegularFile(file)) {
            throw new SnapshotException(file, "is missing");
        }
        long size = Files.size(file);
        if (size < p.size()) {
            throw new SnapshotException(file, "is truncated (" + size + " of " + p.size()
                    + " bytes)");
        }
        if (size > p.size()) {
            throw new SnapshotException(file, "is longer than recorded (" + size + " bytes, not "
                    + p.size() + ")");
        }
    }

    private static void checkDigest(Path file, Manifest.Part p, FileDigest actual)
            throws SnapshotException {
        if (actual.size() != p.size() || actual.crc32c() != p.crc32c()) {
            throw new SnapshotException(file, "is corrupted (CRC32C "
                    + Checksums.hex(actual.crc32c()) + ", expected " + Checksums.hex(p.crc32c())
                    + ")");
        }
    }

    @Override
    public void close() throws IOException {
        pages.close();
    }
}
