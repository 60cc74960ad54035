package dev.jvisor.platform.ptrace;

/** Names of the host errnos the ptrace platform can meet, for error messages. */
final class Errnos {
    private Errnos() {}

    static final int EINVAL = 22, ENODEV = 19;

    private static final String[] NAMES = new String[40];

    static {
        String[] n = {"", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
            "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
            "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
            "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY"};
        System.arraycopy(n, 0, NAMES, 0, n.length);
    }

    /** "(ENAME)" for a known errno, else empty. */
    static String name(int errno) {
        return errno > 0 && errno < NAMES.length ? "(" + NAMES[errno] + ")" : "";
    }
}
