package dev.jvisor.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes one snapshot directory. The parts go into a temporary sibling directory, in the order the
 * checkpoint produces them — the kernel graph while the sandbox is frozen, the pages possibly
 * after it has resumed — and {@link #commit} writes the manifest and then atomically puts the
 * result in place of the target. Until then the target keeps its previous snapshot, if any;
 * closing without committing deletes the temporary directory.
 *
 * <pre>{@code
 * try (SnapshotWriter w = SnapshotWriter.begin(dir, registry, PageOptions.defaults())) {
 *     w.writeKernel(kernel);
 *     w.writePages(memory);
 *     w.commit(new SnapshotMetadata(version, cpuFeatures, summary, null));
 * }
 * }</pre>
 */
public final class SnapshotWriter implements Closeable {
    private final Path dir;
    private final Path temp;
    private final ClassRegistry registry;
    private final PageOptions pageOptions;
    private FileDigest kernel;
    private FileDigest pages;
    private FileDigest pageIndex;
    private boolean committed;

    private SnapshotWriter(Path dir, ClassRegistry registry, PageOptions pageOptions) {
        this.dir = dir;
        this.temp = SnapshotDirs.temp(dir);
        this.registry = registry;
        this.pageOptions = pageOptions;
    }

    /**
     * Starts a snapshot that will replace {@code dir}, which must be absent, empty, or a snapshot.
     * Cleans up after an earlier writer that crashed.
     */
    public static SnapshotWriter begin(Path dir, ClassRegistry registry, PageOptions pageOptions)
            throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        SnapshotDirs.recover(target);
        SnapshotDirs.checkReplaceable(target);
        SnapshotWriter w = new SnapshotWriter(target, registry, pageOptions);
        Files.createDirectories(w.temp);
        return w;
    }

    /** Writes the kernel object graph reachable from {@code root}. */
    public FileDigest writeKernel(Object root) throws IOException {
        checkOpen(kernel, "kernel graph");
        kernel = new GraphWriter(registry).write(temp.resolve(SnapshotFiles.KERNEL), root);
        return kernel;
    }

    /** Writes the populated pages of {@code memory} and their index. */
    public PageStats writePages(MemorySource memory) throws IOException {
        checkOpen(pages, "pages");
        PageChunkWriter.Result result = new PageChunkWriter(pageOptions)
                .write(memory, temp.resolve(SnapshotFiles.PAGES));
        byte[] index = Json.MAPPER.writeValueAsBytes(result.index());
        Files.write(temp.resolve(SnapshotFiles.PAGE_INDEX), index, StandardOpenOption.CREATE_NEW);
        pageIndex = new FileDigest(index.length, Checksums.crc32c(index, 0, index.length));
        pages = result.digest();
        return result.stats();
    }

    /**
     * Makes every part durable, writes the manifest, and atomically replaces the target
     * directory with the new snapshot.
     */
    public Manifest commit(SnapshotMetadata metadata) throws IOException {
        if (committed || kernel == null || pages == null) {
            throw new IllegalStateException(committed ? "already committed"
                    : "commit needs both the kernel graph and the pages");
        }
        List<Manifest.Part> parts = List.of(
                part(SnapshotFiles.KERNEL, kernel),
                part(SnapshotFiles.PAGES, pages),
                part(SnapshotFiles.PAGE_INDEX, pageIndex));
        for (Manifest.Part p : parts) {
            Durable.sync(temp.resolve(p.name()));
        }
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, UUID.randomUUID().toString(),
                metadata.parentId(), metadata.jvisorVersion(), Instant.now().toString(),
                metadata.cpuFeatures(), metadata.summary(), metadata.mounts(), metadata.files(), parts, null);
        byte[] bytes = ManifestCodec.encode(manifest);
        Path manifestFile = temp.resolve(SnapshotFiles.MANIFEST);
        Files.write(manifestFile, bytes, StandardOpenOption.CREATE_NEW);
        Durable.sync(manifestFile);
        Durable.sync(temp);
        SnapshotDirs.checkReplaceable(dir);
        SnapshotDirs.replace(temp, dir);
        committed = true;
        return ManifestCodec.decode(dir.resolve(SnapshotFiles.MANIFEST), bytes);
    }

    /** The directory the snapshot will replace. */
    public Path directory() {
        return dir;
    }

    /** Abandons an uncommitted snapshot: the target directory is left as it was. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            Durable.deleteTree(temp);
        }
    }

    private void checkOpen(FileDigest done, String what) {
        if (committed || done != null) {
            throw new IllegalStateException(what + " already written");
        }
    }

    private static Manifest.Part part(String name, FileDigest d) {
        return new Manifest.Part(name, d.size(), d.crc32c());
    }
}
