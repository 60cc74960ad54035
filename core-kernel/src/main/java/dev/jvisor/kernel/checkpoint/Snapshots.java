package dev.jvisor.kernel.checkpoint;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.Manifest;
import dev.jvisor.state.MemoryRange;
import dev.jvisor.state.MemorySource;
import dev.jvisor.state.PageOptions;
import dev.jvisor.state.PageStats;
import dev.jvisor.state.SnapshotException;
import dev.jvisor.state.SnapshotMetadata;
import dev.jvisor.state.SnapshotReader;
import dev.jvisor.state.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Writes {@code k} (which must be quiesced) to {@code dir}, replacing any snapshot there only on success. */
    public static Saved save(Kernel k, Path dir, PageOptions options, String jvisorVersion) throws IOException {
        try (SnapshotWriter w = SnapshotWriter.begin(dir, REGISTRY, options)) {
            w.writeKernel(k);
            PageStats stats = w.writePages(source(k.memory()));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("tasks", k.tasks().size());
            summary.put("memoryBytes", k.memory().allocator().allocatedBytes());
            summary.put("monotonicNanos", k.clock().now());
            Manifest m = w.commit(new SnapshotMetadata(jvisorVersion, k.cpuFeatures(), summary, null));
            return new Saved(m, stats);
        }
    }

    /**
     * Reads and checks a snapshot, then loads its kernel and its pages into a fresh memory file.
     * Nothing runs yet; a snapshot that is corrupt, foreign, of a newer format, or needs CPU features
     * this host lacks is refused with a {@link SnapshotException}.
     */
    public static Kernel load(Path dir, Map<String, String> hostCpuFeatures) throws IOException {
        try (SnapshotReader r = SnapshotReader.open(dir)) {
            String cpuProblem = CpuCompatibility.check(r.manifest().cpuFeatures(), hostCpuFeatures);
            if (cpuProblem != null) {
                throw new SnapshotException(r.directory(), cpuProblem);
            }
            Kernel k = r.readKernel(REGISTRY, Kernel.class);
            MemoryFile mf = k.memory();
            mf.attach();
            try {
                r.readPages(mf::write);
            } catch (IOException | RuntimeException e) {
                mf.close();
                throw e;
            }
            return k;
        }
    }

    private static MemorySource source(MemoryFile mf) {
        return new MemorySource() {
            @Override
            public List<MemoryRange> populatedRanges() {
                List<MemoryRange> out = new ArrayList<>();
                for (long[] r : mf.populatedRanges()) {
                    out.add(new MemoryRange(r[0], r[1]));
                }
                return out;
            }

            @Override
            public void read(long offset, byte[] dst, int dstOff, int len) {
                mf.read(offset, dst, dstOff, len);
            }
        };
    }
}
