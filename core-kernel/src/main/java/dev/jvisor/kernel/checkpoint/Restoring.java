package dev.jvisor.kernel.checkpoint;

import dev.jvisor.kernel.Kernel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A snapshot whose kernel is loaded and whose memory is still loading. */
public final class Restoring {
    private final Kernel kernel;
    private final CompletableFuture<Void> memory;

    Restoring(Kernel kernel, CompletableFuture<Void> memory) {
        this.kernel = kernel;
        this.memory = memory;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Waits for every page; a chunk that fails its check is a {@link SnapshotException} (memory then closed). */
    public void awaitMemory() throws IOException {
        try {
            memory.join();
        } catch (CompletionException e) {
            kernel.memory().close();
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }
}
