package dev.jvisor.kernel.checkpoint;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.gofer.BindMounts;
import dev.jvisor.kernel.fs.overlay.LowerIdentity;
import dev.jvisor.kernel.fs.overlay.LowerIdentityCheck;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.MountRecord;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.Manifest;
import dev.jvisor.state.MemoryRange;
import dev.jvisor.state.MemorySource;
import dev.jvisor.state.PageOptions;
import dev.jvisor.state.PageChunkReader;
import dev.jvisor.state.PageStats;
import dev.jvisor.state.SnapshotException;
import dev.jvisor.state.PreparedKryo;
import dev.jvisor.state.SnapshotMetadata;
import dev.jvisor.state.SnapshotReader;
import dev.jvisor.state.SnapshotWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes a quiesced kernel to a snapshot directory and reads one back (DESIGN.md §6): the kernel
 * graph, the populated pages of the memory file, and a manifest that a restore checks before any app
 * code runs.
 */
public final class Snapshots {
    private static final KernelClassRegistry REGISTRY = new KernelClassRegistry();

    private Snapshots() {}

    /** What a checkpoint wrote, for the user and the benchmark. */
    public record Saved(Manifest manifest, PageStats pages) {}

    /**
     * The frozen part of a checkpoint of {@code k} (which must be quiesced) to {@code dir}: writes the
     * kernel graph and notes which memory to save. With {@code live}, the memory is guarded so that
     * the sandbox may run again before {@link Capture#finish} writes the pages (see {@link
     * PageStream}); otherwise the sandbox must stay frozen until then.
     */
    public static Capture capture(Kernel k, Path dir, PageOptions options, String jvisorVersion, boolean live,
            Map<String, Object> hostFacts) throws IOException {
        SnapshotWriter w = SnapshotWriter.begin(dir, REGISTRY, options);
        try {
            w.writeKernel(k);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("tasks", k.tasks().size());
            summary.put("memoryBytes", k.memory().allocator().allocatedBytes());
            summary.put("monotonicNanos", k.clock().now());
            summary.putAll(hostFacts);
            MemoryFile mf = k.memory();
            if (mf.guard() instanceof LazyPages restoring) {
                // Just restored, still loading: the file must hold every page before it is listed.
                restoring.loadAll();
            }
            List<MemoryRange> ranges = populated(mf);
            PageStream stream = null;
            if (live) {
                stream = new PageStream(mf, ranges, options.chunkSize());
                mf.setGuard(stream);
                Set<MemoryManager> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Task t : k.tasks()) {
                    if (seen.add(t.mm())) {
                        t.mm().unmapHostForCheckpoint();
                    }
                }
            }
            mf.lease();
            return new Capture(w, mf, stream != null ? stream : frozenSource(mf, ranges), stream,
                    new SnapshotMetadata(jvisorVersion, k.cpuFeatures(), summary, null, mounts(k), heldFiles(k)));
        } catch (IOException | RuntimeException e) {
            k.memory().clearGuard();
            w.close();
            throw e;
        }
    }

    /**
     * Reads and checks a snapshot and loads its kernel graph. Its memory loads lazily (see {@link
     * LazyPages}): the caller builds the rest of the sandbox while every page chunk is verified, and
     * {@link Restoring#awaitMemory} must succeed before anything runs. {@code onFailure} hears of a
     * chunk that cannot be loaded later after all (the image changed on disk): the sandbox cannot go on.
     *
     * <p>A cold JVM spends most of a restore starting things up, so everything independent starts at
     * once, each on its own thread: checking the chunks (it needs only the chunk index), building the
     * Kryo instance, and asking the host for its CPU features; meanwhile this thread reads the
     * manifest.
     */
    public static Restoring open(Path dir, Supplier<Map<String, String>> hostCpuFeatures, Consumer<String> onFailure)
            throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        CompletableFuture<PageChunkReader> pages = new CompletableFuture<>();
        CompletableFuture<Void> verified = new CompletableFuture<>();
        int threads = Runtime.getRuntime().availableProcessors();
        start("snapshot-verify", () -> {
            PageChunkReader p;
            try {
                p = PageChunkReader.open(root);
            } catch (IOException | RuntimeException e) {
                pages.completeExceptionally(e);
                verified.completeExceptionally(e);
                return;
            }
            pages.complete(p);
            try {
                p.verifyChunks(threads);
                verified.complete(null);
            } catch (IOException | RuntimeException e) {
                verified.completeExceptionally(e);
            }
        });
        PreparedKryo kryo = PreparedKryo.start(REGISTRY);
        CompletableFuture<Map<String, String>> cpu = CompletableFuture.supplyAsync(hostCpuFeatures,
                runnable -> start("host-cpuid", runnable));
        SnapshotReader r = null;
        try {
            r = SnapshotReader.open(root, pages);
            String cpuProblem = CpuCompatibility.check(r.manifest().cpuFeatures(), joined(cpu));
            if (cpuProblem != null) {
                throw new SnapshotException(r.directory(), cpuProblem);
            }
            Kernel k = r.readKernel(kryo, Kernel.class);
            MemoryFile mf = k.memory();
            mf.attach();
            LazyPages lazy = new LazyPages(mf, r.pages(), onFailure);
            mf.setGuard(lazy);
            return new Restoring(k, lazy, verified);
        } catch (IOException | RuntimeException e) {
            pages.thenAccept(Snapshots::closeQuietly);
            if (r != null) {
                r.close();
            }
            throw e;
        }
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static <T> T joined(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static void closeQuietly(PageChunkReader p) {
        try {
            p.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }

    private static List<Manifest.MountEntry> mounts(Kernel k) {
        List<Manifest.MountEntry> out = new ArrayList<>();
        for (MountRecord m : k.mounts().records()) {
            out.add(new Manifest.MountEntry(m.destination(), m.type(), m.hostSource(), m.readOnly()));
        }
        return out;
    }

    /** Files on the root file system's host layer, then files on bind mounts. */
    private static List<Manifest.HeldFile> heldFiles(Kernel k) {
        List<Manifest.HeldFile> out = new ArrayList<>();
        for (LowerIdentity f : LowerIdentityCheck.identities(k)) {
            out.add(new Manifest.HeldFile("/" + f.path(), null, f.ino(), f.size(), f.mtimeNs()));
        }
        for (BindMounts.HeldFile f : BindMounts.heldFiles(k)) {
            out.add(new Manifest.HeldFile(f.sandboxPath(), f.hostPath(), f.ino(), f.size(), f.mtimeNs()));
        }
        return out;
    }

    private static List<MemoryRange> populated(MemoryFile mf) {
        List<MemoryRange> out = new ArrayList<>();
        for (long[] r : mf.populatedRanges()) {
            out.add(new MemoryRange(r[0], r[1]));
        }
        return out;
    }

    /** The memory of a frozen sandbox: views of the memory file itself. */
    private static MemorySource frozenSource(MemoryFile mf, List<MemoryRange> ranges) {
        return new MemorySource() {
            @Override
            public List<MemoryRange> populatedRanges() {
                return ranges;
            }

            @Override
            public ByteBuffer view(long offset, int len) {
                return mf.view(offset, len);
            }
        };
    }
}
