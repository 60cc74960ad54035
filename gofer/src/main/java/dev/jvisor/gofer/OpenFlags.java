package dev.jvisor.gofer;

/**
 * Linux x86-64 open(2) flag values used by OPEN and CREATE. Only the access mode, O_TRUNC,
 * O_APPEND and O_DIRECTORY have an effect; the gofer always opens with O_NOFOLLOW and ignores the
 * other bits (O_CLOEXEC, O_NONBLOCK, ... belong to the Sentry's open file description).
 */
public final class OpenFlags {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;

    private OpenFlags() {}

    static boolean canRead(int flags) {
        int access = flags & O_ACCMODE;
        return access == O_RDONLY || access == O_RDWR;
    }

    static boolean canWrite(int flags) {
        int access = flags & O_ACCMODE;
        return access == O_WRONLY || access == O_RDWR;
    }

    /** Whether opening with these flags may change the file (so is refused on a read-only export). */
    static boolean mayModify(int flags) {
        return canWrite(flags) || (flags & O_TRUNC) != 0;
    }
}
