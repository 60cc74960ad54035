package dev.jvisor.gofer;

/**
 * One READDIR entry: the name, its inode number, its type as a {@code DT_*} value, and the cookie
 * that continues the listing after it.
 */
public record DirEntry(String name, long ino, int type, long nextCookie) {
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    /** Bytes this entry takes on the wire. */
    static int wireSize(int nameBytes) {
        return 8 + 8 + 1 + 2 + nameBytes;
    }

    /** The DT_* value for a mode's type bits, as Linux's IFTODT. */
    public static int typeOf(int mode) {
        return (mode & Attr.S_IFMT) >>> 12;
    }

    void encode(WireWriter w) {
        w.u64(ino).u64(nextCookie).u8(type).str(name);
    }

    static DirEntry decode(WireReader r) throws ProtocolException {
        long ino = r.u64();
        long next = r.u64();
        int type = r.u8();
        return new DirEntry(r.str(), ino, type, next);
    }
}
