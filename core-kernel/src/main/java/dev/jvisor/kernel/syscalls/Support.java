package dev.jvisor.kernel.syscalls;

/** How completely a syscall is implemented, for `jvisor help syscalls` and the README. */
public enum Support {
    FULL, PARTIAL
}
