package dev.jvisor.platform.ptrace;

import dev.jvisor.platform.Reg;

/**
 * Layout of the kernel's {@code struct user_regs_struct} (what PTRACE_GETREGS/SETREGS transfer) and
 * its mapping from {@link Reg}, which follows the signal context's order instead.
 */
final class UserRegs {
    private UserRegs() {}

    static final int COUNT = 27;
    static final int BYTES = COUNT * 8;

    static final int R15 = 0, R14 = 1, R13 = 2, R12 = 3, RBP = 4, RBX = 5, R11 = 6, R10 = 7, R9 = 8, R8 = 9,
            RAX = 10, RCX = 11, RDX = 12, RSI = 13, RDI = 14, ORIG_RAX = 15, RIP = 16, CS = 17, EFLAGS = 18,
            RSP = 19, SS = 20, FS_BASE = 21, GS_BASE = 22, DS = 23, ES = 24, FS = 25, GS = 26;

    /** Index in user_regs_struct of each {@link Reg}, by ordinal. */
    private static final int[] OF_REG = new int[Reg.COUNT];

    static {
        OF_REG[Reg.R8.ordinal()] = R8;
        OF_REG[Reg.R9.ordinal()] = R9;
        OF_REG[Reg.R10.ordinal()] = R10;
        OF_REG[Reg.R11.ordinal()] = R11;
        OF_REG[Reg.R12.ordinal()] = R12;
        OF_REG[Reg.R13.ordinal()] = R13;
        OF_REG[Reg.R14.ordinal()] = R14;
        OF_REG[Reg.R15.ordinal()] = R15;
        OF_REG[Reg.RDI.ordinal()] = RDI;
        OF_REG[Reg.RSI.ordinal()] = RSI;
        OF_REG[Reg.RBP.ordinal()] = RBP;
        OF_REG[Reg.RBX.ordinal()] = RBX;
        OF_REG[Reg.RDX.ordinal()] = RDX;
        OF_REG[Reg.RAX.ordinal()] = RAX;
        OF_REG[Reg.RCX.ordinal()] = RCX;
        OF_REG[Reg.RSP.ordinal()] = RSP;
        OF_REG[Reg.RIP.ordinal()] = RIP;
        OF_REG[Reg.EFLAGS.ordinal()] = EFLAGS;
    }

    static int index(Reg r) {
        return OF_REG[r.ordinal()];
    }
}
