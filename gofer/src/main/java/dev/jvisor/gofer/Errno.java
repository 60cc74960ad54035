package dev.jvisor.gofer;

import java.util.Map;
import java.util.TreeMap;

/** The Linux x86-64 errno values the gofer protocol carries, with their names and glibc texts. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EPROTO = 71;
    public static final int EOVERFLOW = 75;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int ESTALE = 116;
    public static final int EDQUOT = 122;

    /** errno → {name, glibc strerror text}. */
    private static final Map<Integer, String[]> TABLE = new TreeMap<>();

    static {
        add(EPERM, "EPERM", "Operation not permitted");
        add(ENOENT, "ENOENT", "No such file or directory");
        add(EINTR, "EINTR", "Interrupted system call");
        add(EIO, "EIO", "Input/output error");
        add(ENXIO, "ENXIO", "No such device or address");
        add(EBADF, "EBADF", "Bad file descriptor");
        add(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        add(ENOMEM, "ENOMEM", "Cannot allocate memory");
        add(EACCES, "EACCES", "Permission denied");
        add(EBUSY, "EBUSY", "Device or resource busy");
        add(EEXIST, "EEXIST", "File exists");
        add(EXDEV, "EXDEV", "Invalid cross-device link");
        add(ENODEV, "ENODEV", "No such device");
        add(ENOTDIR, "ENOTDIR", "Not a directory");
        add(EISDIR, "EISDIR", "Is a directory");
        add(EINVAL, "EINVAL", "Invalid argument");
        add(ENFILE, "ENFILE", "Too many open files in system");
        add(EMFILE, "EMFILE", "Too many open files");
        add(ETXTBSY, "ETXTBSY", "Text file busy");
        add(EFBIG, "EFBIG", "File too large");
        add(ENOSPC, "ENOSPC", "No space left on device");
        add(ESPIPE, "ESPIPE", "Illegal seek");
        add(EROFS, "EROFS", "Read-only file system");
        add(EMLINK, "EMLINK", "Too many links");
        add(ERANGE, "ERANGE", "Numerical result out of range");
        add(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        add(ENOSYS, "ENOSYS", "Function not implemented");
        add(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        add(ELOOP, "ELOOP", "Too many levels of symbolic links");
        add(EPROTO, "EPROTO", "Protocol error");
        add(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        add(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
        add(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        add(ESTALE, "ESTALE", "Stale file handle");
        add(EDQUOT, "EDQUOT", "Disk quota exceeded");
    }

    private Errno() {}

    private static void add(int errno, String name, String text) {
        TABLE.put(errno, new String[] {name, text});
    }

    /** The symbolic name, e.g. {@code "ENOENT"}, or {@code "errno N"} for one not in the table. */
    public static String name(int errno) {
        String[] e = TABLE.get(errno);
        return e == null ? "errno " + errno : e[0];
    }

    /** glibc's text for the errno, e.g. {@code "No such file or directory"}. */
    public static String describe(int errno) {
        String[] e = TABLE.get(errno);
        return e == null ? "Unknown error " + errno : e[1];
    }

    /**
     * The errno whose glibc text starts {@code message}, or -1. The JDK reports most host errors
     * as a FileSystemException whose reason is strerror's text (sometimes with a suffix), so this
     * recovers the errno the host gave.
     */
    static int fromStrerror(String message) {
        if (message == null) {
            return -1;
        }
        int best = -1;
        int bestLength = 0;
        for (Map.Entry<Integer, String[]> e : TABLE.entrySet()) {
            String text = e.getValue()[1];
            // Longest match wins: "Too many open files in system" vs "Too many open files".
            if (message.startsWith(text) && text.length() > bestLength) {
                best = e.getKey();
                bestLength = text.length();
            }
        }
        return best;
    }
}
