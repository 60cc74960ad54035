package dev.jvisor.kernel.loader;

import java.io.IOException;

/**
 * Loading an executable failed; carries the Linux errno that {@code execve} reports.
 *
 * <p>The errno constants have the Linux values (the same as {@code dev.jvisor.kernel.Errno}); they
 * are repeated here so the loader stays independent of the rest of the kernel.
 *
 * <p>{@link #pastPointOfNoReturn()} tells whether Linux would already have discarded the old address
 * space when this error happens (everything after parsing the headers). Linux then cannot return
 * the errno and kills the process with SIGSEGV instead; the kernel may do the same.
 */
public final class LoaderException extends IOException {
    private static final long serialVersionUID = 1L;

    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int EOVERFLOW = 75;
    public static final int ELIBBAD = 80;

    private final int errno;
    private final boolean pastPointOfNoReturn;

    /** An error detected while the exec can still fail cleanly. */
    public LoaderException(int errno, String message) {
        this(errno, message, null, false);
    }

    /** An error detected while the exec can still fail cleanly, caused by {@code cause}. */
    public LoaderException(int errno, String message, Throwable cause) {
        this(errno, message, cause, false);
    }

    private LoaderException(int errno, String message, Throwable cause, boolean pastPointOfNoReturn) {
        super(message, cause);
        this.errno = errno;
        this.pastPointOfNoReturn = pastPointOfNoReturn;
    }

    /** The Linux errno (positive). */
    public int errno() {
        return errno;
    }

    /** True if Linux would report this by killing the process with SIGSEGV rather than failing execve. */
    public boolean pastPointOfNoReturn() {
        return pastPointOfNoReturn;
    }

    /** The same error, marked as happening after the old address space was discarded. */
    LoaderException afterPointOfNoReturn() {
        if (pastPointOfNoReturn) {
            return this;
        }
        LoaderException e = new LoaderException(errno, getMessage(), getCause(), true);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The symbolic name of {@link #errno()}, e.g. "ENOEXEC". */
    public String errnoName() {
        switch (errno) {
            case ENOENT: return "ENOENT";
            case EIO: return "EIO";
            case E2BIG: return "E2BIG";
            case ENOEXEC: return "ENOEXEC";
            case ENOMEM: return "ENOMEM";
            case EACCES: return "EACCES";
            case EFAULT: return "EFAULT";
            case EEXIST: return "EEXIST";
            case EINVAL: return "EINVAL";
            case EOVERFLOW: return "EOVERFLOW";
            case ELIBBAD: return "ELIBBAD";
            default: return "errno " + errno;
        }
    }

    @Override
    public String toString() {
        return "LoaderException(" + errnoName() + "): " + getMessage();
    }
}
