package dev.jvisor.platform.ptrace;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.Reg;
import dev.jvisor.platform.StopReason;
import dev.jvisor.platform.StubBinary;
import dev.jvisor.platform.host.Libc;
import java.util.List;

/**
 * The stub's one thread, run with PTRACE_SYSEMU. Registers live in a Java copy of the thread's
 * user_regs_struct: read once per stop, written back only when the Sentry changed them. The thread is
 * seized by whichever Java thread first runs it (the task's own thread, not the one that created the
 * address space), because the host accepts ptrace requests only from the tracer thread.
 */
final class PtraceContext implements Context {
    static final int SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;
    private static final int SYSCALL_STOP = SIGTRAP | 0x80;
    private static final int SYS_MMAP = 9, SYS_MPROTECT = 10, SYS_MUNMAP = 11;

    private final PtraceAddressSpace as;
    private final Tracee tracee;
    private final int tid;
    /** The registers as the Sentry sees and sets them. */
    private final long[] regs = new long[UserRegs.COUNT];
    /** The registers the host holds for the stopped thread. */
    private final long[] host = new long[UserRegs.COUNT];
    /** Before the attach: which entries of {@link #regs} the Sentry set (the others come from the stub). */
    private long setBeforeAttach;
    private final boolean[] interrupted = new boolean[1];
    private final Object attachLock = new Object();
    private volatile Thread tracer;
    private boolean interruptBeforeAttach;
    private byte[] initialFp;
    /** FP state to load before the thread next runs (null: the initial one), if {@link #fpDirty}. */
    private byte[] pendingFp;
    private boolean fpDirty;
    private final FaultInfo fault = new FaultInfo();

    PtraceContext(PtraceAddressSpace as, int tid) {
        this.as = as;
        this.tid = tid;
        this.tracee = new Tracee(as, tid);
        regs[UserRegs.ORIG_RAX] = -1;
    }

    // ---- attaching --------------------------------------------------------------------------------

    /** Seizes the stub on first use from this thread; refuses any other thread afterwards. */
    private void ensureTracer() {
        Thread me = Thread.currentThread();
        Thread t = tracer;
        if (t == me) {
            return;
        }
        if (as.released()) {
            throw new PlatformException("stub process " + as.pid + " was released");
        }
        if (t != null) {
            throw new PlatformException("stub process " + as.pid + " is traced by thread '" + t.getName()
                    + "'; thread '" + me.getName() + "' cannot drive it (ptrace requests must come from the tracer thread)");
        }
        attach(me);
    }

    private void attach(Thread me) {
        tracee.seize();
        as.markAttached();
        tracee.interrupt();
        while (true) {
            int s = tracee.waitStop();
            if ((s >>> 16) == Tracee.PTRACE_EVENT_STOP) {
                break;
            }
            tracee.resume(Tracee.PTRACE_CONT); // some signal came first: drop it, the interrupt stop follows
        }
        tracee.getRegs(host);
        for (int i = 0; i < UserRegs.COUNT; i++) {
            if ((setBeforeAttach & (1L << i)) == 0) {
                regs[i] = host[i];
            }
        }
        regs[UserRegs.ORIG_RAX] = -1;
        initialFp = tracee.getFp();
        synchronized (attachLock) {
            tracer = me;
            if (interruptBeforeAttach) {
                // Queued while the thread is stopped: it stops again as soon as it resumes.
                Libc.syscall(Libc.SYS_TGKILL, as.pid, tid, StubBinary.SIG_INTERRUPT, 0, 0, 0);
            }
        }
    }

    // ---- running ----------------------------------------------------------------------------------

    @Override
    public StopReason switchToApp() {
        ensureTracer();
        flushOps();
        if (interrupted[0]) {
            // An interrupt landed while the stub ran an injected syscall and was suppressed there.
            interrupted[0] = false;
            return StopReason.INTERRUPT;
        }
        if (fpDirty) {
            loadFp();
        }
        if (!java.util.Arrays.equals(regs, host)) {
            tracee.setRegs(regs);
            System.arraycopy(regs, 0, host, 0, UserRegs.COUNT);
        }
        tracee.resume(Tracee.PTRACE_SYSEMU);
        return stopped(tracee.waitStop());
    }

    private StopReason stopped(int status) {
        int sig = (status >> 8) & 0xff;
        tracee.getRegs(host);
        System.arraycopy(host, 0, regs, 0, UserRegs.COUNT);
        // Never resume "inside a syscall": the host would apply its syscall-restart rules to RAX.
        regs[UserRegs.ORIG_RAX] = -1;
        if (sig == SYSCALL_STOP) {
            // The host reports -ENOSYS in RAX; jvisor's convention is the number in RAX at a SYSCALL stop.
            regs[UserRegs.RAX] = host[UserRegs.ORIG_RAX];
            return StopReason.SYSCALL;
        }
        if ((status >>> 16) != 0) {
            return StopReason.INTERRUPT; // an event (group) stop
        }
        tracee.getSigInfo();
        int code = tracee.siCode();
        // si_code <= 0: sent by a process (our SIG_INTERRUPT, or anyone's kill), not raised by the CPU.
        if (isFaultSignal(sig) && code > 0) {
            fault.set(sig, code, tracee.siAddr(), regs[UserRegs.RIP]);
            return StopReason.FAULT;
        }
        return StopReason.INTERRUPT;
    }

    static boolean isFaultSignal(int sig) {
        return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
    }

    /** Applies queued mapping changes by running mmap/munmap/mprotect in the stub, one injected syscall each. */
    void flushOps() {
        List<long[]> ops = as.pendingOps();
        synchronized (ops) {
            applyOps(ops);
        }
    }

    private void applyOps(List<long[]> ops) {
        for (int i = 0; i < ops.size(); i++) {
            long[] op = ops.get(i);
            long addr = op[1], len = op[2], prot = op[3];
            long r;
            String what;
            switch ((int) op[0]) {
                case PtraceAddressSpace.OP_MAP -> {
                    r = tracee.inject(host, interrupted, SYS_MMAP, addr, len, prot, Libc.MAP_SHARED | Libc.MAP_FIXED,
                            StubBinary.MEMFILE_FD, op[4]);
                    what = "mmap";
                    if (r == addr) {
                        r = 0;
                    } else if (r >= 0) {
                        r = -Errnos.EINVAL;
                    }
                }
                case PtraceAddressSpace.OP_UNMAP -> {
                    r = tracee.inject(host, interrupted, SYS_MUNMAP, addr, len, 0, 0, 0, 0);
                    what = "munmap";
                }
                default -> {
                    r = tracee.inject(host, interrupted, SYS_MPROTECT, addr, len, prot, 0, 0, 0);
                    what = "mprotect";
                }
            }
            if (r != 0) {
                ops.subList(0, i + 1).clear();
                throw new PlatformException("stub could not apply a mapping change: " + what + "(0x"
                        + Long.toHexString(addr) + ", 0x" + Long.toHexString(len) + ", prot " + prot + "): host errno "
                        + -r + " " + Errnos.name((int) -r));
            }
        }
        ops.clear();
    }

    // ---- registers ----------------------------------------------------------------------------------

    @Override
    public long reg(Reg r) {
        return regs[UserRegs.index(r)];
    }

    @Override
    public void setReg(Reg r, long v) {
        set(UserRegs.index(r), v);
    }

    private void set(int i, long v) {
        regs[i] = v;
        if (tracer == null) {
            setBeforeAttach |= 1L << i;
        }
    }

    @Override
    public long fsBase() {
        return regs[UserRegs.FS_BASE];
    }

    @Override
    public void setFsBase(long v) {
        set(UserRegs.FS_BASE, v);
    }

    @Override
    public void save(CpuState into) {
        for (Reg r : Reg.values()) {
            into.set(r, reg(r));
        }
        into.fsBase = regs[UserRegs.FS_BASE];
        into.gsBase = regs[UserRegs.GS_BASE];
        into.fpState = currentFp();
    }

    @Override
    public void load(CpuState from) {
        for (Reg r : Reg.values()) {
            setReg(r, from.get(r));
        }
        set(UserRegs.FS_BASE, from.fsBase);
        set(UserRegs.GS_BASE, from.gsBase);
        pendingFp = from.fpState == null ? null : from.fpState.clone();
        fpDirty = true;
    }

    /** The FP state the thread would run with now; null (the initial state) if it never ran and none was loaded. */
    private byte[] currentFp() {
        if (fpDirty) {
            byte[] fp = pendingFp != null ? pendingFp : initialFp;
            return fp == null ? null : fp.clone();
        }
        if (tracer == null) {
            return null;
        }
        ensureTracer();
        return tracee.getFp();
    }

    private void loadFp() {
        byte[] fp = pendingFp != null ? pendingFp : initialFp;
        if (fp.length != initialFp.length) {
            throw new PlatformException("saved FP state is " + fp.length + " bytes, this host's is " + initialFp.length
                    + " (different CPU features)");
        }
        tracee.setFp(fp);
        fpDirty = false;
        pendingFp = null;
    }

    // ---- faults -------------------------------------------------------------------------------------

    @Override
    public int faultSignal() {
        return fault.signal;
    }

    @Override
    public int faultCode() {
        return fault.code;
    }

    @Override
    public long faultAddress() {
        return fault.addr;
    }

    @Override
    public long trapNumber() {
        return fault.trapNo;
    }

    @Override
    public long trapError() {
        return fault.error;
    }

    // ---- the rest -----------------------------------------------------------------------------------

    @Override
    public long cpuTimeNanos(boolean wholeProcess) {
        // A thread CPU clock of another process is refused (EINVAL), so use the process clock: the
        // ptrace stub has this one thread, so both are the same. MAKE_PROCESS_CPUCLOCK(pid, SCHED).
        int clock = (~(wholeProcess ? as.pid : tid) << 3) | 2;
        try (Memory ts = new Memory(16)) {
            Libc.check(Libc.clock_gettime(clock, Pointer.nativeValue(ts)), "clock_gettime of a stub");
            return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
        }
    }

    @Override
    public void interrupt() {
        synchronized (attachLock) {
            if (tracer == null) {
                // Not traced yet: SIGUSR1 would kill the stub. Sent by the attach instead.
                interruptBeforeAttach = true;
                return;
            }
        }
        if (!as.released()) {
            Libc.syscall(Libc.SYS_TGKILL, as.pid, tid, StubBinary.SIG_INTERRUPT, 0, 0, 0);
        }
    }

    private static final int CLONE_THREAD_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;

    @Override
    public Context newThread() {
        ensureTracer();
        long r = tracee.inject(as.cloneSite, 8, host, interrupted, 56 /* clone */, CLONE_THREAD_FLAGS, 0, 0, 0, 0, 0);
        if (r < 0) {
            throw new PlatformException("stub process " + as.pid + " could not start a thread: host errno " + -r);
        }
        as.threadStarted((int) r);
        return new PtraceContext(as, (int) r);
    }

    @Override
    public void release() {
        if (as.threadEnded() || as.released() || tracer != Thread.currentThread()) {
            return; // the address space's release kills what is left
        }
        tracee.park(host, as.parkWord());
    }
}
