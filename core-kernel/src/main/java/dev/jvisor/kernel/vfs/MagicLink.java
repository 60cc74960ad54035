package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;

/**
 * A symlink whose target is an object rather than a path: Linux's procfs "magic links"
 * (/proc/PID/fd/N, cwd, root). A path walk that follows one jumps straight to {@link #follow}'s
 * location, so an open file that has no reachable path (a pipe, a deleted file, host stdio) can
 * still be opened through it; readlink(2) shows {@link Inode#readlink}'s text.
 */
public interface MagicLink {
    /**
     * Where the link leads, or null to fall back to walking its readlink text. {@code link} is the
     * link's own location (its mount and dentry).
     */
    Location follow(Task t, Location link);
}
