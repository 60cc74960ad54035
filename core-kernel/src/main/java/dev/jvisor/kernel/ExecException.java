package dev.jvisor.kernel;

/** A program could not be started: the errno execve(2) would return and a message for the user. */
public final class ExecException extends RuntimeException {
    public final int errno;

    public ExecException(int errno, String message) {
        super(message);
        this.errno = errno;
    }
}
