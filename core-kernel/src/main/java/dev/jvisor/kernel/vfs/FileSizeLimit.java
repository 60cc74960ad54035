package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * RLIMIT_FSIZE as Linux applies it to regular files (mm/filemap.c generic_write_check_limits,
 * fs/attr.c inode_newsize_ok): a write that starts at or past the limit, or a truncate or fallocate
 * that would grow the file past it, fails with EFBIG and sends the caller SIGXFSZ; a write that
 * crosses the limit is cut short at it.
 */
public final class FileSizeLimit {
    private static final int SIGXFSZ = 25;

    private FileSizeLimit() {}

    private static long limit(Task t) {
        return t == null ? Limits.INFINITY : t.threadGroup().limits.soft[Limits.RLIMIT_FSIZE];
    }

    /** How many of {@code len} bytes a write at {@code pos} may write. */
    public static long clampWrite(Task t, long pos, long len) {
        long limit = limit(t);
        if (len == 0 || limit == Limits.INFINITY || limit < 0) {
            return len;
        }
        if (pos >= limit) {
            t.raiseSignal(SIGXFSZ);
            throw new SyscallException(Errno.EFBIG);
        }
        return Math.min(len, limit - pos);
    }

    /** Checks that a regular file may grow from {@code size} to {@code newSize}. */
    public static void checkGrow(Task t, long size, long newSize) {
        long limit = limit(t);
        if (newSize > size && limit != Limits.INFINITY && limit >= 0 && newSize > limit) {
            t.raiseSignal(SIGXFSZ);
            throw new SyscallException(Errno.EFBIG);
        }
    }
}
