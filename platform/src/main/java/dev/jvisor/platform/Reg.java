package dev.jvisor.platform;

/**
 * The general registers of an x86-64 thread, in the order of the Linux signal context
 * ({@code struct sigcontext}), which is also the order of {@link CpuState#gregs}.
 */
public enum Reg {
    R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP, RIP, EFLAGS;

    public static final int COUNT = values().length;
}
