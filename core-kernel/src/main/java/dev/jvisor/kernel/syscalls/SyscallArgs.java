package dev.jvisor.kernel.syscalls;

/** The number and six arguments of the syscall being handled; one reused instance per task. */
public final class SyscallArgs {
    public long nr, a0, a1, a2, a3, a4, a5;

    public long get(int i) {
        return switch (i) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            default -> a5;
        };
    }

    public int fd(int i) {
        return (int) get(i);
    }
}
