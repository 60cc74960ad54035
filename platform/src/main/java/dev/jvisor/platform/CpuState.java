package dev.jvisor.platform;

/**
 * A thread's complete user CPU state as plain data: what a checkpoint saves and a restore loads.
 * While a thread runs, its registers live in the platform's {@link Context}; they are copied here
 * only when the kernel needs a stable copy (checkpoint, new thread, exec).
 */
public final class CpuState {
    /** General registers in {@link Reg} order. */
    public final long[] gregs = new long[Reg.COUNT];
    public long fsBase;
    public long gsBase;
    /** The XSAVE area in the kernel's signal-frame format (with the software-reserved bytes), or null for the initial state. */
    public byte[] fpState;

    public long get(Reg r) {
        return gregs[r.ordinal()];
    }

    public void set(Reg r, long v) {
        gregs[r.ordinal()] = v;
    }

    public CpuState copy() {
        CpuState c = new CpuState();
        System.arraycopy(gregs, 0, c.gregs, 0, gregs.length);
        c.fsBase = fsBase;
        c.gsBase = gsBase;
        c.fpState = fpState == null ? null : fpState.clone();
        return c;
    }
}
