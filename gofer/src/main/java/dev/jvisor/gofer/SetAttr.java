package dev.jvisor.gofer;

/**
 * The changes of one SETATTR request: {@code mask} says which fields apply. The server applies
 * them in the order uid/gid, mode, size, times (so a chown that clears setuid bits does not undo
 * the mode, and the times set last are the ones that stay), and stops at the first failure.
 */
public record SetAttr(int mask, int mode, int uid, int gid, long size, Timespec atime, Timespec mtime) {
    public static final int MODE = 1;
    public static final int UID = 2;
    public static final int GID = 4;
    public static final int SIZE = 8;
    /** Set atime to {@link #atime}. */
    public static final int ATIME = 16;
    /** Set mtime to {@link #mtime}. */
    public static final int MTIME = 32;
    /** Set atime to the host's current time ({@link #atime} is ignored). */
    public static final int ATIME_NOW = 64;
    /** Set mtime to the host's current time ({@link #mtime} is ignored). */
    public static final int MTIME_NOW = 128;
    static final int ALL = MODE | UID | GID | SIZE | ATIME | MTIME | ATIME_NOW | MTIME_NOW;

    private static final Timespec ZERO = new Timespec(0, 0);

    public SetAttr {
        atime = atime == null ? ZERO : atime;
        mtime = mtime == null ? ZERO : mtime;
    }

    public static SetAttr mode(int mode) {
        return new SetAttr(MODE, mode, 0, 0, 0, null, null);
    }

    public static SetAttr owner(int uid, int gid) {
        return new SetAttr(UID | GID, 0, uid, gid, 0, null, null);
    }

    public static SetAttr size(long size) {
        return new SetAttr(SIZE, 0, 0, 0, size, null, null);
    }

    /** Sets both times; a null one is left unchanged. */
    public static SetAttr times(Timespec atime, Timespec mtime) {
        return new SetAttr((atime == null ? 0 : ATIME) | (mtime == null ? 0 : MTIME), 0, 0, 0, 0, atime, mtime);
    }

    boolean has(int bit) {
        return (mask & bit) != 0;
    }

    void encode(WireWriter w) {
        w.u32(mask).u32(mode).u32(uid).u32(gid).u64(size).timespec(atime).timespec(mtime);
    }

    static SetAttr decode(WireReader r) throws ProtocolException {
        return new SetAttr(r.u32(), r.u32(), r.u32(), r.u32(), r.u64(), r.timespec(), r.timespec());
    }
}
