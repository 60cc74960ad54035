package dev.jvisor.kernel.vfs;

/** st_mode bits (sys/stat.h) and open(2) flags, in one place. */
public final class FileMode {
    private FileMode() {}

    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    public static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DSYNC = 010000,
            O_DIRECT = 040000, O_LARGEFILE = 0100000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_NOATIME = 01000000, O_CLOEXEC = 02000000, O_SYNC = 04010000, O_PATH = 010000000,
            O_TMPFILE = 020200000;

    /** d_type values for getdents64. */
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10,
            DT_SOCK = 12;

    public static boolean isDir(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public static boolean isReg(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    public static boolean isLink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public static int dtype(int mode) {
        return (mode & S_IFMT) >>> 12;
    }

    public static boolean readable(int flags) {
        return (flags & O_ACCMODE) != O_WRONLY && (flags & O_PATH) == 0;
    }

    public static boolean writable(int flags) {
        return (flags & O_ACCMODE) != O_RDONLY && (flags & O_PATH) == 0;
    }
}
