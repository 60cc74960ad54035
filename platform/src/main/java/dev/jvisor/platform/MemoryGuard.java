package dev.jvisor.platform;

/**
 * Watches the memory file while its contents and the file disagree for a while: a checkpoint that
 * streams pages with the sandbox running again (every write first lets the guard copy aside what the
 * snapshot still needs; frees wait for the stream), or a restore that loads pages lazily (every access
 * first makes sure its pages are loaded). The app's accesses reach it through page faults, the Sentry's
 * through {@link MemoryFile}.
 */
public interface MemoryGuard {
    /** Called before {@code [offset, offset + len)} is read. */
    void beforeRead(long offset, long len);

    /** Called before {@code [offset, offset + len)} is modified. */
    void beforeWrite(long offset, long len);

    /** Whether some of {@code [offset, offset + len)} must still be copied before it is modified. */
    boolean pending(long offset, long len);

    /**
     * Called before {@code [offset, offset + len)} is freed; returns true if the free must wait
     * until the guard is cleared.
     */
    boolean holdFree(long offset, long len);
}
