package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.state.TestGraph.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDirectoryTest {
    private static final PageOptions PAGES = PageOptions.defaults().withChunkSize(64 * Pages.SIZE);

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("snap");
    }

    private static HeapMemory memory(long seed) {
        return HeapMemory.mixed(512 * Pages.SIZE, 0.5, seed);
    }

    private static Task kernel(int tid) {
        Task t = new Task(tid);
        t.files = new TestGraph.Files();
        t.files.fds.put(1, "/dev/tty");
        return t;
    }

    private Manifest snapshot(Task kernel, MemorySource memory) throws IOException {
        try (SnapshotWriter w = SnapshotWriter.begin(dir(), TestGraph.REGISTRY, PAGES)) {
            w.writeKernel(kernel);
            w.writePages(memory);
            return w.commit(new SnapshotMetadata("0.1.0-test", Map.of("avx2", "yes"),
                    Map.of("tasks", 1, "memoryBytes", 2_097_152L), null));
        }
    }

    private SnapshotException refused() {
        return assertThrows(SnapshotException.class, () -> {
            try (SnapshotReader r = SnapshotReader.open(dir())) {
                r.verify();
                r.readPages(new HeapMemory(512 * Pages.SIZE, List.of()));
            }
        });
    }

    private void flipByte(String part, long position) throws IOException {
        Path file = dir().resolve(part);
        byte[] b = Files.readAllBytes(file);
        b[(int) position] ^= 1;
        Files.write(file, b);
    }

    @Test
    void writeThenRead() throws IOException {
        HeapMemory source = memory(1);
        Manifest written = snapshot(kernel(7), source);

        assertEquals(Set.of(SnapshotFiles.MANIFEST, SnapshotFiles.KERNEL, SnapshotFiles.PAGES,
                SnapshotFiles.PAGE_INDEX), list(dir()));
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            Manifest m = r.manifest();
            assertEquals(written, m);
            assertEquals(Manifest.FORMAT_VERSION, m.formatVersion());
            assertEquals("0.1.0-test", m.jvisorVersion());
            assertEquals(Map.of("avx2", "yes"), m.cpuFeatures());
            assertEquals(1, m.summary().get("tasks"));
            assertNull(m.parentId());
            assertEquals(Files.size(dir().resolve(SnapshotFiles.PAGES)),
                    m.part(SnapshotFiles.PAGES).orElseThrow().size());
            r.verify();
            assertEquals(7, r.readKernel(TestGraph.REGISTRY, Task.class).tid);
            HeapMemory target = new HeapMemory(source.bytes.length, List.of());
            r.readPages(target);
            assertArrayEquals(source.bytes, target.bytes);
        }
        assertFalse(Files.exists(SnapshotDirs.temp(dir())));
        assertFalse(Files.exists(SnapshotDirs.aside(dir())));
    }

    @Test
    void secondSnapshotReplacesTheFirst() throws IOException {
        Manifest first = snapshot(kernel(1), memory(1));
        Manifest second = snapshot(kernel(2), memory(2));
        assertNotEquals(first.id(), second.id());
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            assertEquals(second.id(), r.manifest().id());
            assertEquals(2, r.readKernel(TestGraph.REGISTRY, Task.class).tid);
        }
        assertEquals(Set.of("snap"), list(tmp));
    }

    @Test
    void flippedByteInKernelOrIndexIsRefusedOnOpen() throws IOException {
        for (String part : List.of(SnapshotFiles.KERNEL, SnapshotFiles.PAGE_INDEX)) {
            snapshot(kernel(1), memory(1));
            flipByte(part, Files.size(dir().resolve(part)) / 2);
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> SnapshotReader.open(dir()));
            assertEquals(dir().resolve(part), e.file());
            assertTrue(e.getMessage().contains(part + ": is corrupted (CRC32C"), e.getMessage());
        }
    }

    @Test
    void flippedByteInPagesIsRefusedByVerifyAndByLoading() throws IOException {
        snapshot(kernel(1), memory(1));
        flipByte(SnapshotFiles.PAGES, 12345);
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            SnapshotException e = assertThrows(SnapshotException.class, r::verify);
            assertTrue(e.getMessage().contains("pages.bin: is corrupted"), e.getMessage());
            e = assertThrows(SnapshotException.class,
                    () -> r.readPages(new HeapMemory(512 * Pages.SIZE, List.of())));
            assertTrue(e.getMessage().contains("pages.bin: is corrupted"), e.getMessage());
        }
    }

    @Test
    void everyFlippedByteInTheManifestIsRefused() throws IOException {
        snapshot(kernel(1), memory(1));
        Path manifest = dir().resolve(SnapshotFiles.MANIFEST);
        byte[] good = Files.readAllBytes(manifest);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                Files.write(manifest, bad);
                SnapshotException e = assertThrows(SnapshotException.class,
                        () -> SnapshotReader.open(dir()).close(), "bit " + bit + " at " + i);
                assertEquals(manifest, e.file());
            }
        }
        Files.write(manifest, good);
        SnapshotReader.open(dir()).close();
    }

    @Test
    void truncatedPartsAreRefused() throws IOException {
        for (String part : List.of(SnapshotFiles.KERNEL, SnapshotFiles.PAGES,
                SnapshotFiles.PAGE_INDEX)) {
            snapshot(kernel(1), memory(1));
            Path file = dir().resolve(part);
            byte[] b = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(b, b.length - 3));
            SnapshotException e = refused();
            assertEquals(file, e.file());
            assertTrue(e.getMessage().contains("is truncated (" + (b.length - 3) + " of "
                    + b.length + " bytes)"), e.getMessage());
        }
    }

    @Test
    void missingPartIsRefused() throws IOException {
        snapshot(kernel(1), memory(1));
        Files.delete(dir().resolve(SnapshotFiles.PAGES));
        assertTrue(refused().getMessage().endsWith("pages.bin: is missing"));
    }

    @Test
    void newerFormatIsRefused() throws IOException {
        Manifest m = snapshot(kernel(1), memory(1));
        Manifest future = new Manifest(2, m.id(), null, "9.0", m.createdAt(), Map.of(), Map.of(),
                null, null, m.parts(), null);
        Files.write(dir().resolve(SnapshotFiles.MANIFEST), ManifestCodec.encode(future));
        SnapshotException e = refused();
        assertTrue(e.getMessage().endsWith(
                "snapshot format 2 is newer than this jvisor supports (1)"), e.getMessage());
    }

    @Test
    void foreignDirectoriesAreNotSnapshots() throws IOException {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("notes.txt"), "hello");
        SnapshotException e = refused();
        assertTrue(e.getMessage().endsWith("is not a jvisor snapshot (no manifest.json)"),
                e.getMessage());

        Files.writeString(dir().resolve(SnapshotFiles.MANIFEST), "{\"name\": \"left-pad\"}");
        e = refused();
        assertTrue(e.getMessage().endsWith("manifest.json: is not a jvisor snapshot manifest"),
                e.getMessage());

        Files.writeString(dir().resolve(SnapshotFiles.MANIFEST), "PK\u0003\u0004");
        assertTrue(refused().getMessage().contains("manifest.json: is not valid JSON"));

        assertTrue(assertThrows(SnapshotException.class,
                () -> SnapshotReader.open(tmp.resolve("nowhere"))).getMessage()
                .endsWith("nowhere: does not exist"));
    }

    @Test
    void writerRefusesToReplaceAForeignDirectory() throws IOException {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("precious.txt"), "keep me");
        SnapshotException e = assertThrows(SnapshotException.class,
                () -> SnapshotWriter.begin(dir(), TestGraph.REGISTRY, PAGES));
        assertTrue(e.getMessage().contains("is not a jvisor snapshot; refusing"), e.getMessage());
        assertEquals("keep me", Files.readString(dir().resolve("precious.txt")));
    }

    /** A memory file that fails half-way through, as when the sandbox dies mid-checkpoint. */
    private static MemorySource failingHalfWay(HeapMemory m) {
        return new MemorySource() {
            @Override
            public List<MemoryRange> populatedRanges() {
                return m.populatedRanges();
            }

            @Override
            public java.nio.ByteBuffer view(long offset, int len) throws IOException {
                if (offset >= m.bytes.length / 2) {
                    throw new IOException("memory file went away");
                }
                return m.view(offset, len);
            }
        };
    }

    @Test
    void failedWriteLeavesThePreviousSnapshotIntact() throws IOException {
        Manifest previous = snapshot(kernel(1), memory(1));
        byte[] previousManifest = Files.readAllBytes(dir().resolve(SnapshotFiles.MANIFEST));

        IOException e = assertThrows(IOException.class,
                () -> snapshot(kernel(2), failingHalfWay(memory(2))));
        assertEquals("memory file went away", e.getMessage());

        assertArrayEquals(previousManifest,
                Files.readAllBytes(dir().resolve(SnapshotFiles.MANIFEST)));
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            r.verify();
            assertEquals(previous.id(), r.manifest().id());
            assertEquals(1, r.readKernel(TestGraph.REGISTRY, Task.class).tid);
        }
        assertFalse(Files.exists(SnapshotDirs.temp(dir())), "temporary directory removed");
    }

    @Test
    void failedFirstWriteLeavesNoSnapshot() {
        assertThrows(IOException.class, () -> snapshot(kernel(2), failingHalfWay(memory(2))));
        assertFalse(Files.exists(dir().resolve(SnapshotFiles.MANIFEST)));
        assertThrows(SnapshotException.class, () -> SnapshotReader.open(dir()));
    }

    @Test
    void uncommittedWriterLeavesNothing() throws IOException {
        try (SnapshotWriter w = SnapshotWriter.begin(dir(), TestGraph.REGISTRY, PAGES)) {
            w.writeKernel(kernel(1));
            w.writePages(memory(1));
        }
        assertEquals(Set.of(), list(tmp));
    }

    @Test
    void leftoversOfACrashedWriterAreIgnoredAndCleaned() throws IOException {
        snapshot(kernel(1), memory(1));
        // A writer that died before committing...
        Path temp = SnapshotDirs.temp(dir());
        Files.createDirectories(temp);
        Files.writeString(temp.resolve(SnapshotFiles.KERNEL), "half");
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            assertEquals(1, r.readKernel(TestGraph.REGISTRY, Task.class).tid);
        }
        // ...and one that died between its two renames.
        Files.move(dir(), SnapshotDirs.aside(dir()));

        snapshot(kernel(2), memory(2));

        assertEquals(Set.of("snap"), list(tmp));
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            assertEquals(2, r.readKernel(TestGraph.REGISTRY, Task.class).tid);
        }
    }

    @Test
    void crashBetweenRenamesRecoversThePreviousSnapshot() throws IOException {
        Manifest previous = snapshot(kernel(1), memory(1));
        Files.move(dir(), SnapshotDirs.aside(dir()));
        SnapshotWriter.begin(dir(), TestGraph.REGISTRY, PAGES).close();
        try (SnapshotReader r = SnapshotReader.open(dir())) {
            assertEquals(previous.id(), r.manifest().id());
        }
    }

    private static Set<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
