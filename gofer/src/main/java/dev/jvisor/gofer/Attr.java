package dev.jvisor.gofer;

/**
 * A file's attributes as Linux's struct stat: {@code mode} holds the type bits ({@link #S_IFMT})
 * and the permission bits. {@code blocks} (512-byte units) is an estimate derived from the size,
 * since the JDK does not expose st_blocks; every other field is the host's.
 */
public record Attr(
        int mode,
        long nlink,
        int uid,
        int gid,
        long size,
        long blocks,
        int blksize,
        long ino,
        long dev,
        long rdev,
        Timespec atime,
        Timespec mtime,
        Timespec ctime) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** Bytes of an encoded Attr. */
    static final int WIRE_SIZE = 4 + 8 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 3 * 12;

    /** The type bits of {@link #mode}, e.g. {@link #S_IFDIR}. */
    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** The permission bits, setuid/setgid/sticky included. */
    public int permissions() {
        return mode & 07777;
    }

    void encode(WireWriter w) {
        w.u32(mode).u64(nlink).u32(uid).u32(gid).u64(size).u64(blocks).u32(blksize)
                .u64(ino).u64(dev).u64(rdev).timespec(atime).timespec(mtime).timespec(ctime);
    }

    static Attr decode(WireReader r) throws ProtocolException {
        return new Attr(r.u32(), r.u64(), r.u32(), r.u32(), r.u64(), r.u64(), r.u32(),
                r.u64(), r.u64(), r.u64(), r.timespec(), r.timespec(), r.timespec());
    }
}
