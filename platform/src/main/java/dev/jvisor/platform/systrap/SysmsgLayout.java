package dev.jvisor.platform.systrap;

/** Offsets and values of the sysmsg page shared with the stub (mirrors struct sysmsg in stub.h). */
final class SysmsgLayout {
    private SysmsgLayout() {}

    static final int STATE = 0;
    static final int STUB_SLEEPING = 4;
    static final int SENTRY_SLEEPING = 8;
    static final int EVENT = 12;
    static final int UC_OFFSET = 16;
    static final int FAULT_ADDR = 24;
    static final int SI_CODE = 32;
    static final int TID = 36;
    static final int FS_BASE = 40;
    static final int FS_BASE_CUR = 48;
    static final int NOPS = 56;
    static final int OP_ERROR = 60;
    static final int FAILED_OP = 64;
    static final int CPUID_FAULT = 68;
    static final int CLONE_SLOT = 104;
    static final int CLONE_RESULT = 112;
    static final int OPS = 128;
    static final int OP_SIZE = 32;
    static final int MAX_OPS = 96;
    /** The syscall's number, six arguments and result (one cache line). */
    static final int SC_NR = 3200;
    static final int SC_ARGS = 3208;
    static final int SC_RESULT = 3256;

    static final int ST_EVENT = 1;
    static final int ST_RUN = 2;
    static final int ST_OPS = 3;
    static final int ST_OPS_DONE = 4;
    static final int ST_EXIT = 5;
    static final int ST_OPFAIL = 6;
    static final int ST_RUN_RESULT = 7;
    static final int ST_CLONE = 8;
    static final int ST_CLONE_DONE = 9;

    static final int OP_MAP = 1;
    static final int OP_UNMAP = 2;
    static final int OP_PROTECT = 3;

    /** Offsets in the ucontext the kernel builds for a signal: the sigcontext's registers and FP state pointer. */
    static final int UC_GREGS = 40;
    static final int GREG_ERR = 19;
    static final int GREG_TRAPNO = 20;
    static final int GREG_FPSTATE = 23;
    /** Offset of the software-reserved bytes (fx_sw_bytes) in the FXSAVE area: magic1, extended_size, xfeatures, xstate_size. */
    static final int FX_SW_BYTES = 464;
    static final int FP_XSTATE_MAGIC1 = 0x46505853;
}
