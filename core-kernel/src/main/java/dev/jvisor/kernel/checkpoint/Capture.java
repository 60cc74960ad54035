package dev.jvisor.kernel.checkpoint;

import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.Manifest;
import dev.jvisor.state.MemorySource;
import dev.jvisor.state.PageStats;
import dev.jvisor.state.SnapshotMetadata;
import dev.jvisor.state.SnapshotWriter;
import java.io.Closeable;
import java.io.IOException;

/** A checkpoint whose kernel graph is written; {@link #finish} writes the pages and commits. */
public final class Capture implements Closeable {
    private final SnapshotWriter writer;
    private final MemoryFile memory;
    private final MemorySource pages;
    /** The guard of a live checkpoint, or null when the sandbox stays frozen. */
    private final PageStream stream;
    private final SnapshotMetadata metadata;
    private boolean ended;

    Capture(SnapshotWriter writer, MemoryFile memory, MemorySource pages, PageStream stream,
            SnapshotMetadata metadata) {
        this.writer = writer;
        this.memory = memory;
        this.pages = pages;
        this.stream = stream;
        this.metadata = metadata;
    }

    /** Writes the pages and the manifest; the snapshot then replaces whatever was in the directory. */
    public Snapshots.Saved finish() throws IOException {
        try {
            PageStats stats = writer.writePages(pages);
            Manifest m = writer.commit(metadata);
            return new Snapshots.Saved(m, stats);
        } finally {
            end();
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            if (stream != null) {
                memory.clearGuard();
                stream.close();
            }
            memory.unlease();
        }
    }

    /** Abandons the checkpoint if it did not finish: the directory keeps its previous snapshot. */
    @Override
    public void close() throws IOException {
        end();
        writer.close();
    }
}
