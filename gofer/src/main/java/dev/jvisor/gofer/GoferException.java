package dev.jvisor.gofer;

import java.io.IOException;

/**
 * A failed gofer request, carrying the Linux errno the Sentry should give the application. A lost
 * or corrupt connection to the gofer is {@link Errno#EIO}.
 */
public final class GoferException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String detail;

    public GoferException(int errno, String message) {
        super(Errno.name(errno) + " (" + Errno.describe(errno) + ")" + (message == null || message.isEmpty() ? "" : ": " + message));
        this.errno = errno;
        this.detail = message == null ? "" : message;
    }

    public GoferException(int errno, String message, Throwable cause) {
        this(errno, message);
        initCause(cause);
    }

    /** The Linux errno, e.g. {@link Errno#ENOENT}. */
    public int errno() {
        return errno;
    }

    /** The message without the errno's name and text. */
    public String detail() {
        return detail;
    }
}
