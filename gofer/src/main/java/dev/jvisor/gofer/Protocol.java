package dev.jvisor.gofer;

/**
 * Wire constants of the gofer protocol: version, frame limits and message type codes. The
 * protocol itself is specified in {@code gofer/PROTOCOL.md} and in the package documentation.
 */
public final class Protocol {
    /** The only protocol version this implementation speaks. */
    public static final int VERSION = 1;

    /** Bytes before the payload: u32 length, u16 type, u32 tag. */
    public static final int HEADER_SIZE = 10;
    /** Bytes counted by the length field besides the payload: type and tag. */
    static final int LENGTH_OVERHEAD = 6;
    /** Largest value of the length field either side will ever accept. */
    public static final int MAX_FRAME = 4 << 20;
    /**
     * Smallest negotiable frame limit, and the limit before the handshake: big enough for any
     * request but READ/WRITE/READDIR, so a peer that has not said hello cannot make us allocate much.
     */
    public static final int MIN_FRAME = 64 << 10;
    /** Room kept for headers and arguments when deriving the I/O size from the frame limit. */
    static final int IO_OVERHEAD = 64;

    /** Longest file name (bytes of UTF-8), as Linux's NAME_MAX. */
    public static final int MAX_NAME = 255;
    /** Longest symlink target (bytes of UTF-8), as Linux's PATH_MAX less the NUL. */
    public static final int MAX_SYMLINK = 4095;

    /** A reply's type is its request's type with this bit set. */
    public static final int REPLY = 0x8000;
    /** Type of the error reply, which may answer any request. */
    public static final int ERROR = 0xFFFF;

    public static final int VERSION_REQ = 1;
    public static final int ATTACH = 2;
    public static final int WALK = 3;
    public static final int CLONE = 4;
    public static final int STAT = 5;
    public static final int OPEN = 6;
    public static final int READ = 7;
    public static final int WRITE = 8;
    public static final int READDIR = 9;
    public static final int READLINK = 10;
    public static final int CREATE = 11;
    public static final int MKDIR = 12;
    public static final int MKNOD = 13;
    public static final int UNLINK = 14;
    public static final int RENAME = 15;
    public static final int LINK = 16;
    public static final int SYMLINK = 17;
    public static final int SETATTR = 18;
    public static final int FSYNC = 19;
    public static final int STATFS = 20;
    public static final int CLUNK = 21;

    private static final String[] NAMES = {
        null, "version", "attach", "walk", "clone", "stat", "open", "read", "write", "readdir",
        "readlink", "create", "mkdir", "mknod", "unlink", "rename", "link", "symlink", "setattr",
        "fsync", "statfs", "clunk",
    };

    private Protocol() {}

    /** The request name of a (request or reply) type, or {@code "type N"} for an unknown one. */
    public static String typeName(int type) {
        if (type == ERROR) {
            return "error";
        }
        int request = type & ~REPLY;
        return request > 0 && request < NAMES.length ? NAMES[request] : "type " + type;
    }

    static boolean isRequest(int type) {
        return type > 0 && type < NAMES.length;
    }

    /**
     * Largest READ or WRITE count under a frame limit: a power of two, so that large page-aligned
     * transfers split into page-aligned pieces.
     */
    public static int maxIo(int maxFrame) {
        return Integer.highestOneBit(maxFrame - IO_OVERHEAD);
    }
}
