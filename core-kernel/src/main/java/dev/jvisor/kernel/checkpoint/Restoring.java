package dev.jvisor.kernel.checkpoint;

import dev.jvisor.kernel.Kernel;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A snapshot whose kernel is loaded and whose memory is being verified, to be loaded lazily. */
public final class Restoring {
    private final Kernel kernel;
    private final LazyPages pages;
    private final CompletableFuture<Void> verified;

    Restoring(Kernel kernel, LazyPages pages, CompletableFuture<Void> verified) {
        this.kernel = kernel;
        this.pages = pages;
        this.verified = verified;
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * Waits until every page chunk is verified, then starts loading them in the background (anything
     * that touches memory loads what it needs first). A chunk that fails its check is a {@link
     * dev.jvisor.state.SnapshotException}, and the memory is closed.
     */
    public void awaitMemory() throws IOException {
        try {
            verified.join();
        } catch (CompletionException e) {
            pages.abandon();
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
        pages.startBackground();
    }
}
