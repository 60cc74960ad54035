package dev.jvisor.platform;

/**
 * One application thread as the platform runs it: switch into app code until it makes a syscall,
 * faults or is interrupted, then read and change its registers. Used by exactly one Sentry task
 * thread, except {@link #interrupt()}, which any thread may call.
 */
public interface Context {
    /** Runs app code until the next stop. Throws {@link PlatformException} if the host side died. */
    StopReason switchToApp();

    long reg(Reg r);

    /** The number of the syscall that stopped the thread (RAX at the SYSCALL stop). */
    default long syscallNumber() {
        return reg(Reg.RAX);
    }

    /** Argument {@code i} (0-5) of that syscall: RDI, RSI, RDX, R10, R8, R9. */
    default long syscallArg(int i) {
        return reg(switch (i) {
            case 0 -> Reg.RDI;
            case 1 -> Reg.RSI;
            case 2 -> Reg.RDX;
            case 3 -> Reg.R10;
            case 4 -> Reg.R8;
            default -> Reg.R9;
        });
    }

    /** Sets the syscall's result (RAX when the thread resumes); a later {@link #setReg} of RAX wins. */
    default void setSyscallResult(long v) {
        setReg(Reg.RAX, v);
    }

    void setReg(Reg r, long v);

    long fsBase();

    void setFsBase(long v);

    /** Host signal number of the last FAULT stop (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
    int faultSignal();

    /** si_code of the last FAULT stop. */
    int faultCode();

    /** si_addr of the last FAULT stop. */
    long faultAddress();

    /** The hardware trap number and error code of the last fault (x86 TRAPNO, ERR). */
    long trapNumber();

    long trapError();

    /** CPU time the host has charged to this thread, or to its whole address space. */
    long cpuTimeNanos(boolean wholeProcess);

    /** Copies the whole CPU state out (registers, fs/gs base, FP/vector state). */
    void save(CpuState into);

    /** Loads a whole CPU state; a null fpState means the initial FP state. */
    void load(CpuState from);

    /** Makes a running {@link #switchToApp()} return INTERRUPT soon; harmless if the thread is stopped. */
    void interrupt();

    /**
     * Starts another host thread in this context's address space and returns it stopped, ready for
     * {@link #load}. Call it only from this context's owner while the context is stopped.
     */
    Context newThread();

    /** Ends this thread on the host (its address space lives on until {@link AddressSpace#release}). */
    void release();
}
