package dev.jvisor.kernel;

import dev.jvisor.platform.Reg;
import dev.jvisor.platform.cpu.HostCpuid;

/**
 * Answers CPUID for app code on hosts that trap it (CPUID faulting): the app sees the host's
 * values, which are what the snapshot's manifest records as the features the app was shown.
 */
public final class CpuidEmulator {
    private final HostCpuid host;

    public CpuidEmulator(HostCpuid host) {
        this.host = host;
    }

    /** If the faulting instruction is CPUID, emulates it and returns true. */
    boolean emulate(Task t) {
        long rip = t.context().reg(Reg.RIP);
        byte[] insn;
        try {
            insn = t.mm().read(rip, 2);
        } catch (SyscallException e) {
            return false;
        }
        if (insn[0] != 0x0f || insn[1] != (byte) 0xa2) {
            return false;
        }
        int[] r = host.query((int) t.context().reg(Reg.RAX), (int) t.context().reg(Reg.RCX));
        t.context().setReg(Reg.RAX, r[0] & 0xffffffffL);
        t.context().setReg(Reg.RBX, r[1] & 0xffffffffL);
        t.context().setReg(Reg.RCX, r[2] & 0xffffffffL);
        t.context().setReg(Reg.RDX, r[3] & 0xffffffffL);
        t.context().setReg(Reg.RIP, rip + 2);
        return true;
    }
}
