package dev.jvisor.platform.ptrace;

/**
 * The last fault, with the x86 trap number and page-fault error code reconstructed from the siginfo:
 * ptrace, unlike a signal frame, does not expose the kernel's trapno and error code.
 *
 * <p>Page faults (SIGSEGV with SEGV_MAPERR/ACCERR) are classified the way the Sentry's memory manager
 * needs them, in the spirit of gVisor's ptrace platform (execute iff the fault is at the instruction
 * pointer; read first, write when the access repeats on a page already mapped):
 * <ul>
 * <li>execute: the address is RIP, or the start of the next page within one instruction's length of
 *     RIP (an instruction fetch that crosses into an unmapped page);
 * <li>SEGV_MAPERR (nothing mapped on the host): reported as a read. The memory manager then maps the
 *     page with the VMA's own protections, so a write to a writable page simply succeeds on retry;
 * <li>SEGV_ACCERR (the page is mapped, but not for this access): reported as a write. The memory
 *     manager maps pages readable whenever the VMA is, so an ACCERR is a write to a read-only page
 *     (including a copy-on-write one) or an access to a PROT_NONE one, which faults either way.
 * </ul>
 * The cost is one extra fault on the first write to a page that must stay read-only on the host (a
 * read-only VMA, where it becomes the correct SIGSEGV, or a copy-on-write page). A rip-relative read
 * of the 15 bytes after an instruction from an unmapped, non-executable page would be misread as an
 * instruction fetch; compilers do not emit that.
 */
final class FaultInfo {
    private static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, SEGV_PKUERR = 4, SI_KERNEL = 0x80;
    private static final int FPE_INTDIV = 1, FPE_INTOVF = 2, BUS_ADRALN = 1, TRAP_BRKPT = 1;
    /** x86 page-fault error code bits. */
    private static final int PF_PROT = 1, PF_WRITE = 2, PF_USER = 4, PF_INSTR = 16, PF_PK = 32;
    private static final int MAX_INSN = 15;

    int signal;
    int code;
    long addr;
    long trapNo;
    long error;

    void set(int sig, int siCode, long siAddr, long rip) {
        signal = sig;
        code = siCode;
        addr = siAddr;
        error = 0;
        switch (sig) {
            case PtraceContext.SIGSEGV -> segv(siCode, siAddr, rip);
            case PtraceContext.SIGBUS -> trapNo = siCode == BUS_ADRALN ? 17 : 14;
            case PtraceContext.SIGILL -> trapNo = 6;
            case PtraceContext.SIGFPE -> trapNo = siCode == FPE_INTDIV || siCode == FPE_INTOVF ? 0 : 16;
            case PtraceContext.SIGTRAP -> trapNo = siCode == SI_KERNEL || siCode == TRAP_BRKPT ? 3 : 1;
            default -> trapNo = 0;
        }
    }

    private void segv(int siCode, long siAddr, long rip) {
        if (siCode != SEGV_MAPERR && siCode != SEGV_ACCERR && siCode != SEGV_PKUERR) {
            // SI_KERNEL: a general protection fault (CPUID faulting, a privileged instruction, a
            // non-canonical address), which Linux reports with trapno 13.
            trapNo = 13;
            return;
        }
        trapNo = 14;
        boolean exec = siAddr == rip
                || ((siAddr & 0xfff) == 0 && Long.compareUnsigned(siAddr - rip, MAX_INSN) < 0);
        boolean write = !exec && siCode != SEGV_MAPERR;
        error = PF_USER | (siCode == SEGV_MAPERR ? 0 : PF_PROT) | (write ? PF_WRITE : 0) | (exec ? PF_INSTR : 0)
                | (siCode == SEGV_PKUERR ? PF_PK : 0);
    }
}
