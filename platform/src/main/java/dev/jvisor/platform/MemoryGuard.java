package dev.jvisor.platform;

/**
 * Watches the memory file while a checkpoint streams its pages with the sandbox running again:
 * every write by the Sentry, and every write fault of the app, first lets the guard copy aside
 * what the snapshot still needs. Frees of such memory wait until the stream is over.
 */
public interface MemoryGuard {
    /** Called before {@code [offset, offset + len)} is modified. */
    void beforeWrite(long offset, long len);

    /** Whether some of {@code [offset, offset + len)} must still be copied before it is modified. */
    boolean pending(long offset, long len);
}
