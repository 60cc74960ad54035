package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.DirEntry;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A lower layer whose gofer is still starting. A restore whose app holds no lower file has nothing
 * to check through the gofer before the app runs, so the app resumes at once and its first access
 * to a lower file waits for the gofer (its JVM takes a few hundred ms to start next to the
 * Sentry's). The layer is attached on that first access, not when the gofer is up, so a sandbox
 * that ends before touching it (a restore refused late) never talks to a gofer being stopped. If
 * the gofer cannot start, every access fails with EIO and {@code log} hears why.
 */
public final class PendingLowerFs implements LowerFs {
    private final Supplier<? extends LowerFs> attach;
    private final Consumer<String> log;
    private volatile LowerFs lower;

    /** {@code attach} waits for the gofer and attaches to it; it runs on the first access. */
    public PendingLowerFs(Supplier<? extends LowerFs> attach, Consumer<String> log) {
        this.attach = attach;
        this.log = log;
    }

    private LowerFs lower() {
        LowerFs l = lower;
        return l != null ? l : attachOnce();
    }

    private synchronized LowerFs attachOnce() {
        if (lower == null) {
            try {
                lower = attach.get();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                log.accept("the root file system is unavailable: " + cause.getMessage());
                throw new SyscallException(Errno.EIO);
            }
        }
        return lower;
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
