package dev.jvisor.platform;

/** Why app code stopped and control returned to the Sentry. */
public enum StopReason {
    /** The app made a system call: number in RAX, arguments in RDI, RSI, RDX, R10, R8, R9. */
    SYSCALL,
    /** A synchronous fault: see {@link Context#faultSignal()}, {@link Context#faultAddress()}. */
    FAULT,
    /** The Sentry asked the thread to stop ({@link Context#interrupt()}), or a host signal did. */
    INTERRUPT
}
