package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.DirEntry;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A lower layer whose gofer is still starting. A restore whose app holds no lower file has nothing
 * to check through the gofer before the app runs, so the app resumes at once and its first access
 * to a lower file waits for the gofer (its JVM takes a few hundred ms to start next to the
 * Sentry's). If the gofer cannot start, every access fails with EIO and {@code log} hears why.
 */
public final class PendingLowerFs implements LowerFs {
    private final CompletableFuture<? extends LowerFs> lower;
    private final Consumer<String> log;

    public PendingLowerFs(CompletableFuture<? extends LowerFs> lower, Consumer<String> log) {
        this.lower = lower;
        this.log = log;
    }

    private LowerFs lower() {
        try {
            return lower.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.accept("the root file system is unavailable: " + cause.getMessage());
            throw new SyscallException(Errno.EIO);
        }
    }

    @Override
    public LowerAttr stat(String path) {
        return lower().stat(path);
    }

    @Override
    public List<DirEntry> list(String path) {
        return lower().list(path);
    }

    @Override
    public String readlink(String path) {
        return lower().readlink(path);
    }

    @Override
    public int read(String path, long off, byte[] dst, int dstOff, int len) {
        return lower().read(path, off, dst, dstOff, len);
    }
}
