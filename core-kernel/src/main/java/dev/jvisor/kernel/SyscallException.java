package dev.jvisor.kernel;

/**
 * Thrown deep inside a syscall to fail it with an errno (e.g. EFAULT from a bad app pointer). Cheap:
 * no stack trace, since it is control flow, not a bug.
 */
public final class SyscallException extends RuntimeException {
    public final int errno;

    public SyscallException(int errno) {
        super(Errno.name(errno), null, false, false);
        this.errno = errno;
    }
}
