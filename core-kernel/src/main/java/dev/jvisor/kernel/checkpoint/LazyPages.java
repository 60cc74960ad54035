package dev.jvisor.kernel.checkpoint;

import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.MemoryGuard;
import dev.jvisor.state.Chunk;
import dev.jvisor.state.PageChunkReader;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The memory of a restored sandbox while its pages load lazily (DESIGN.md §6): the app runs as soon
 * as the snapshot is verified; a chunk is loaded the first time anything touches it (an app page
 * fault, a Sentry read or write, a free), and a background thread loads the rest in memory order.
 * When every chunk is in, the guard removes itself.
 *
 * <p>A chunk that cannot be loaded after all (the image changed on disk since it was verified) is
 * fatal to the sandbox: {@code onFailure} gets one line and the memory reads as zeros meanwhile.
 */
final class LazyPages implements MemoryGuard {
    private final MemoryFile memory;
    private final PageChunkReader reader;
    private final List<Chunk> chunks;
    private final long[] offsets;
    private final int chunkSize;
    private final Consumer<String> onFailure;
    private final BitSet loaded = new BitSet();
    private final BitSet loading = new BitSet();
    private volatile int remaining;
    private boolean released;
    private boolean leased;

    LazyPages(MemoryFile memory, PageChunkReader reader, Consumer<String> onFailure) {
        this.memory = memory;
        this.reader = reader;
        this.chunks = reader.index().chunks();
        this.offsets = chunks.stream().mapToLong(Chunk::offset).toArray();
        this.chunkSize = reader.index().chunkSize();
        this.onFailure = onFailure;
        this.remaining = chunks.size();
    }

    /** Loads every chunk not loaded yet, in memory order; then the memory file is unguarded. */
    void loadAll() {
        for (int i = 0; i < chunks.size() && remaining > 0; i++) {
            load(i);
        }
        release();
    }

    /**
     * Starts {@link #loadAll} on a background thread; the memory file stays open until it is done
     * (a sandbox that exits first waits for it, as it could still be checkpointed meanwhile).
     */
    void startBackground() {
        memory.lease();
        leased = true;
        Thread t = new Thread(this::loadAll, "snapshot-lazy-pages");
        t.setDaemon(true);
        t.start();
    }

    /** Gives up (the snapshot was refused): nothing will be loaded. */
    void abandon() {
        release();
    }

    private void release() {
        boolean unlease;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            unlease = leased;
        }
        memory.clearGuard();
        if (unlease) {
            memory.unlease();
        }
        try {
            reader.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }

    private void ensure(long offset, long len) {
        if (remaining == 0 || len <= 0) {
            return;
        }
        for (long base = offset - offset % chunkSize; base < offset + len; base += chunkSize) {
            int i = java.util.Arrays.binarySearch(offsets, base);
            if (i >= 0) {
                load(i);
            }
        }
    }

    private void load(int i) {
        synchronized (this) {
            while (loading.get(i)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (loaded.get(i)) {
                return;
            }
            loading.set(i);
        }
        try {
            reader.load(chunks.get(i), memory::load);
        } catch (IOException | RuntimeException e) {
            onFailure.accept("cannot load the snapshot's memory: " + e.getMessage());
        } finally {
            synchronized (this) {
                loading.clear(i);
                loaded.set(i);
                remaining--;
                notifyAll();
            }
        }
    }

    @Override
    public void beforeRead(long offset, long len) {
        ensure(offset, len);
    }

    @Override
    public void beforeWrite(long offset, long len) {
        ensure(offset, len);
    }

    @Override
    public boolean pending(long offset, long len) {
        return false;
    }

    /** A free must not be undone by a later load: load first, then free at once. */
    @Override
    public boolean holdFree(long offset, long len) {
        ensure(offset, len);
        return false;
    }
}
