package dev.jvisor.platform.ptrace;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.host.Libc;

/**
 * The ptrace requests made on one stub thread, and the waits for its stops. Every method must run on
 * the tracer thread (the kernel accepts ptrace requests only from the very thread that seized the
 * tracee); {@link PtraceContext} enforces that.
 */
final class Tracee {
    static final int PTRACE_CONT = 7, PTRACE_GETREGS = 12, PTRACE_SETREGS = 13, PTRACE_GETFPREGS = 14,
            PTRACE_SETFPREGS = 15, PTRACE_SYSEMU = 31, PTRACE_GETSIGINFO = 0x4202, PTRACE_GETREGSET = 0x4204,
            PTRACE_SETREGSET = 0x4205, PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207;
    static final int PTRACE_DETACH = 17;
    static final int PTRACE_O_TRACESYSGOOD = 1, PTRACE_O_EXITKILL = 1 << 20;
    static final int PTRACE_EVENT_STOP = 128;
    private static final int NT_X86_XSTATE = 0x202;
    /** Larger than any XSAVE area (AMX makes it ~11 KiB); the kernel tells the real size. */
    private static final int FP_BUF_SIZE = 32 << 10;
    private static final int FXSAVE_SIZE = 512;

    final int tid;
    private final PtraceAddressSpace as;
    private final Memory regsBuf = new Memory(UserRegs.BYTES);
    private final Memory siginfo = new Memory(128);
    private final Memory iov = new Memory(16);
    private final int[] status = new int[1];
    private Memory fpBuf;
    /** Whether the host offers the XSAVE regset; if not, only the legacy FXSAVE area is moved. */
    private boolean xstate = true;

    Tracee(PtraceAddressSpace as, int tid) {
        this.as = as;
        this.tid = tid;
    }

    void seize() {
        call(PTRACE_SEIZE, 0, PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD, "PTRACE_SEIZE");
    }

    void interrupt() {
        call(PTRACE_INTERRUPT, 0, 0, "PTRACE_INTERRUPT");
    }

    /** Resumes with {@code request} (PTRACE_CONT or PTRACE_SYSEMU), always suppressing the stop's signal. */
    void resume(int request) {
        call(request, 0, 0, request == PTRACE_SYSEMU ? "PTRACE_SYSEMU" : "PTRACE_CONT");
    }

    void getRegs(long[] into) {
        call(PTRACE_GETREGS, 0, Pointer.nativeValue(regsBuf), "PTRACE_GETREGS");
        regsBuf.read(0, into, 0, UserRegs.COUNT);
    }

    void setRegs(long[] from) {
        regsBuf.write(0, from, 0, UserRegs.COUNT);
        call(PTRACE_SETREGS, 0, Pointer.nativeValue(regsBuf), "PTRACE_SETREGS");
    }

    /** Reads the siginfo of the current signal-delivery stop; see {@link #siCode()} and {@link #siAddr()}. */
    void getSigInfo() {
        call(PTRACE_GETSIGINFO, 0, Pointer.nativeValue(siginfo), "PTRACE_GETSIGINFO");
    }

    int siCode() {
        return siginfo.getInt(8);
    }

    long siAddr() {
        return siginfo.getLong(16);
    }

    /** The FP/vector state: the XSAVE area as NT_X86_XSTATE gives it (its software-reserved bytes are the signal frame's), or FXSAVE. */
    byte[] getFp() {
        Memory buf = fpBuf();
        if (xstate) {
            iov.setLong(0, Pointer.nativeValue(buf));
            iov.setLong(8, FP_BUF_SIZE);
            if (Libc.ptrace(PTRACE_GETREGSET, tid, NT_X86_XSTATE, Pointer.nativeValue(iov)) != -1) {
                return buf.getByteArray(0, (int) iov.getLong(8));
            }
            int e = Libc.errno();
            if (e != Errnos.EINVAL && e != Errnos.ENODEV) {
                throw failure("PTRACE_GETREGSET", e);
            }
            xstate = false; // no XSAVE on this host
        }
        call(PTRACE_GETFPREGS, 0, Pointer.nativeValue(buf), "PTRACE_GETFPREGS");
        return buf.getByteArray(0, FXSAVE_SIZE);
    }

    /** Loads an FP state of exactly the size {@link #getFp()} returns (the kernel insists on it). */
    void setFp(byte[] fp) {
        Memory buf = fpBuf();
        buf.write(0, fp, 0, fp.length);
        if (xstate) {
            iov.setLong(0, Pointer.nativeValue(buf));
            iov.setLong(8, fp.length);
            call(PTRACE_SETREGSET, NT_X86_XSTATE, Pointer.nativeValue(iov), "PTRACE_SETREGSET");
        } else {
            call(PTRACE_SETFPREGS, 0, Pointer.nativeValue(buf), "PTRACE_SETFPREGS");
        }
    }

    private Memory fpBuf() {
        if (fpBuf == null) {
            fpBuf = new Memory(FP_BUF_SIZE);
        }
        return fpBuf;
    }

    /**
     * Waits for the next stop and returns its raw wait status. The tracee's exit is the end of the
     * stub: it is reaped here and reported as a {@link PlatformException}.
     */
    int waitStop() {
        while (true) {
            int r = Libc.waitpid(tid, status, Libc.WALL);
            if (r == tid) {
                break;
            }
            int e = Libc.errno();
            if (r == -1 && e == Libc.EINTR) {
                continue;
            }
            // ECHILD: someone else reaped it, i.e. release() killed it while we waited.
            throw new PlatformException("stub process " + as.pid + " is gone (waitpid: host errno " + e + " "
                    + Errnos.name(e) + ")");
        }
        int s = status[0];
        if ((s & 0xff) != 0x7f) {
            as.markReaped();
            throw new PlatformException(PtraceAddressSpace.describeExit(as.pid, s));
        }
        return s;
    }

    /**
     * Runs one system call in the stub: from the registers in {@code regs} (the host's current ones,
     * updated in place to what the host holds afterwards) at the stub's "syscall; int3" site, until
     * the int3 stops it. Returns the raw result. A signal that arrives meanwhile is suppressed and
     * reported by returning with {@code interrupted[0]} set, so the Sentry's interrupt is not lost.
     */
    long inject(long[] regs, boolean[] interrupted, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return inject(as.syscallSite, 3, regs, interrupted, nr, a0, a1, a2, a3, a4, a5);
    }

    /**
     * Runs a syscall in the stopped thread at {@code site}, a "syscall ...; int3" sequence whose int3
     * ends {@code trapAt} bytes after the site, and returns its result.
     */
    long inject(long site, int trapAt, long[] regs, boolean[] interrupted, long nr, long a0, long a1, long a2, long a3,
            long a4, long a5) {
        regs[UserRegs.RIP] = site;
        regs[UserRegs.RAX] = nr;
        regs[UserRegs.RDI] = a0;
        regs[UserRegs.RSI] = a1;
        regs[UserRegs.RDX] = a2;
        regs[UserRegs.R10] = a3;
        regs[UserRegs.R8] = a4;
        regs[UserRegs.R9] = a5;
        // Not "in a syscall": keeps the host's syscall-restart logic away from these registers.
        regs[UserRegs.ORIG_RAX] = -1;
        setRegs(regs);
        resume(PTRACE_CONT);
        while (true) {
            int s = waitStop();
            int sig = (s >> 8) & 0xff;
            boolean event = (s >>> 16) != 0;
            if (!event && sig == PtraceContext.SIGTRAP) {
                getRegs(regs);
                if (regs[UserRegs.RIP] != site + trapAt) {
                    throw new PlatformException("stub process " + as.pid + " trapped at 0x"
                            + Long.toHexString(regs[UserRegs.RIP]) + " while running an injected syscall");
                }
                return regs[UserRegs.RAX];
            }
            if (!event) {
                getSigInfo();
                if (PtraceContext.isFaultSignal(sig) && siCode() > 0) {
                    throw new PlatformException("stub process " + as.pid + " got signal " + sig
                            + " while running injected syscall " + nr);
                }
                interrupted[0] = true;
            }
            resume(PTRACE_CONT);
        }
    }

    /**
     * Lets go of a thread that has ended in the sandbox: it is detached while blocked for good in a
     * futex wait on a word of the stub's header that never changes. (Making it exit instead races with
     * PTRACE_O_EXITKILL when its tracer thread ends, and a leader's exit is reported late.)
     */
    void park(long[] regs, long neverChangingWord) {
        regs[UserRegs.RIP] = as.syscallSite;
        regs[UserRegs.RAX] = 202; // futex
        regs[UserRegs.RDI] = neverChangingWord;
        regs[UserRegs.RSI] = 0; // FUTEX_WAIT
        regs[UserRegs.RDX] = 0;
        regs[UserRegs.R10] = 0; // no timeout
        regs[UserRegs.ORIG_RAX] = -1;
        setRegs(regs);
        call(PTRACE_DETACH, 0, 0, "PTRACE_DETACH");
    }

    private void call(int request, long addr, long data, String what) {
        if (Libc.ptrace(request, tid, addr, data) == -1) {
            throw failure(what, Libc.errno());
        }
    }

    private PlatformException failure(String what, int errno) {
        if (errno == Libc.ESRCH) {
            // The tracee is gone or not stopped: say how it ended if it did.
            String end = as.reapIfExited();
            if (end != null) {
                return new PlatformException(end);
            }
        }
        return new PlatformException(what + " on stub process " + as.pid + " failed: host errno " + errno + " "
                + Errnos.name(errno));
    }
}
