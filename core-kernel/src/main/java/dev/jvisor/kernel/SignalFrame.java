package dev.jvisor.kernel;

import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x86-64 rt signal frame, in the layout Linux builds (arch/x86/kernel/signal.c): the return address
 * (sa_restorer), a ucontext (flags, link, the alternate stack, the sigcontext with every register,
 * the blocked mask), the siginfo, and the XSAVE area below it, 64-byte aligned.
 */
final class SignalFrame {
    private SignalFrame() {}

    private static final int UC = 8, MCONTEXT = UC + 40, SIGMASK = UC + 296, INFO = UC + 304, FRAME_SIZE = INFO + 128;
    private static final long UC_FP_XSTATE = 1, UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    private static final int FX_SW_BYTES = 464, FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2 = 0x46505845;
    private static final long REDZONE = 128;
    /** EFLAGS bits sigreturn takes from the frame (Linux's FIX_EFLAGS). */
    private static final long FIX_EFLAGS = 0x40dd5 | 0x10000;
    private static final long USER_CS = 0x33, USER_SS = 0x2b;

    static boolean onAltStack(Task t, long sp) {
        return t.altStackSize != 0 && sp > t.altStackSp && sp - t.altStackSp <= t.altStackSize;
    }

    /**
     * Builds the frame for a handler and points the registers at it. Returns false if the frame could
     * not be written (a bad stack): the caller then kills the process with SIGSEGV.
     */
    static boolean setup(Task t, SigInfo info, long handler, long flags, long restorer, long savedMask,
            long faultAddr) {
        Context c = t.context();
        CpuState cpu = new CpuState();
        c.save(cpu);
        long sp = cpu.get(Reg.RSP);
        boolean onAlt = onAltStack(t, sp);
        if ((flags & Signals.SA_ONSTACK) != 0 && t.altStackSize != 0 && !onAlt) {
            sp = t.altStackSp + t.altStackSize;
        } else {
            sp -= REDZONE;
        }
        byte[] fp = cpu.fpState;
        boolean xstate = fp != null && fp.length > 512
                && ByteBuffer.wrap(fp).order(ByteOrder.LITTLE_ENDIAN).getInt(FX_SW_BYTES) == FP_XSTATE_MAGIC1;
        int fpLen = fp == null ? 0 : fp.length + (xstate ? 4 : 0);
        long fpAddr = (sp - fpLen) & ~63L;
        long frame = ((fpAddr - FRAME_SIZE) & ~15L) - 8;

        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, restorer);
        b.putLong(UC, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (xstate ? UC_FP_XSTATE : 0));
        b.putLong(UC + 16, t.altStackSp);
        b.putInt(UC + 24, t.altStackSize == 0 ? SS_DISABLE : onAlt ? SS_ONSTACK : 0);
        b.putLong(UC + 32, t.altStackSize);
        for (Reg r : Reg.values()) {
            b.putLong(MCONTEXT + r.ordinal() * 8, cpu.get(r));
        }
        b.putLong(MCONTEXT + 18 * 8, USER_CS | (USER_SS << 48));
        b.putLong(MCONTEXT + 19 * 8, 0); // err
        b.putLong(MCONTEXT + 20 * 8, faultAddr != 0 ? 14 : 0); // trapno
        b.putLong(MCONTEXT + 21 * 8, savedMask); // oldmask
        b.putLong(MCONTEXT + 22 * 8, faultAddr); // cr2
        b.putLong(MCONTEXT + 23 * 8, fp == null ? 0 : fpAddr);
        b.putLong(SIGMASK, savedMask);
        b.put(INFO, info.bytes());
        try {
            t.mm().copyOut(frame, b.array(), 0, FRAME_SIZE);
            if (fp != null) {
                t.mm().copyOut(fpAddr, fp, 0, fp.length);
                if (xstate) {
                    t.mm().writeInt(fpAddr + fp.length, FP_XSTATE_MAGIC2);
                }
            }
        } catch (SyscallException e) {
            return false;
        }
        cpu.set(Reg.RSP, frame);
        cpu.set(Reg.RIP, handler);
        cpu.set(Reg.RDI, info.signo());
        cpu.set(Reg.RSI, frame + INFO);
        cpu.set(Reg.RDX, frame + UC);
        cpu.set(Reg.RAX, 0);
        cpu.set(Reg.EFLAGS, cpu.get(Reg.EFLAGS) & ~(0x400L | 0x100L | 0x10000L));
        cpu.fpState = null; // the handler starts with a clean FP state
        c.load(cpu);
        return true;
    }

    /** rt_sigreturn(2): restores what {@link #setup} saved. Returns false for a bad frame. */
    static boolean restore(Task t) {
        Context c = t.context();
        CpuState cpu = new CpuState();
        c.save(cpu);
        long frame = cpu.get(Reg.RSP) - 8;
        byte[] raw;
        try {
            raw = t.mm().read(frame, FRAME_SIZE);
        } catch (SyscallException e) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long oldFlags = cpu.get(Reg.EFLAGS);
        for (Reg r : Reg.values()) {
            cpu.set(r, b.getLong(MCONTEXT + r.ordinal() * 8));
        }
        cpu.set(Reg.EFLAGS, (oldFlags & ~FIX_EFLAGS) | (cpu.get(Reg.EFLAGS) & FIX_EFLAGS));
        long fpAddr = b.getLong(MCONTEXT + 23 * 8);
        if (fpAddr != 0 && cpu.fpState != null) {
            try {
                cpu.fpState = t.mm().read(fpAddr, cpu.fpState.length);
            } catch (SyscallException e) {
                return false;
            }
        } else {
            cpu.fpState = null;
        }
        t.setSignalMask(b.getLong(SIGMASK));
        long ssSp = b.getLong(UC + 16);
        int ssFlags = b.getInt(UC + 24);
        long ssSize = b.getLong(UC + 32);
        if (!onAltStack(t, cpu.get(Reg.RSP))) {
            if ((ssFlags & SS_DISABLE) != 0) {
                t.altStackSp = 0;
                t.altStackSize = 0;
            } else if (ssSize >= 2048) {
                t.altStackSp = ssSp;
                t.altStackSize = ssSize;
            }
        }
        c.load(cpu);
        return true;
    }
}
