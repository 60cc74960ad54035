package dev.jvisor.kernel.syscalls;

/** How strace shows an argument. */
public enum Arg {
    /** Signed decimal. */
    INT,
    /** Hexadecimal (pointers, flags). */
    HEX,
    /** A file descriptor. */
    FD,
    /** A NUL-terminated string in app memory. */
    STR,
    /** A buffer the app passes in, whose length is the next argument. */
    BUF_IN,
    /** A buffer the call fills, whose length is the result. */
    BUF_OUT,
    /** Octal (modes). */
    OCT
}
