package dev.jvisor.platform.systrap;

import static dev.jvisor.platform.systrap.SysmsgLayout.*;

import com.sun.jna.Pointer;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.Reg;
import dev.jvisor.platform.StopReason;
import dev.jvisor.platform.StubBinary;
import dev.jvisor.platform.host.Libc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One stub thread. Its registers are read and written in place, in the signal frame the host kernel
 * built on the thread's signal stack (which lies in the shared sysmsg slot), so a syscall round trip
 * copies nothing: the stub publishes where the frame is, the Sentry edits it, and rt_sigreturn loads
 * it. Hand-offs spin briefly before sleeping on a futex, because cross-CPU wake-ups are slow.
 */
final class SystrapContext implements Context {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Spin this long for the stub, then yield the CPU until YIELD_NANOS, then sleep on the futex. */
    private static final long SPIN_NANOS = 20_000;
    private static final long YIELD_NANOS = 200_000;
    private static final long SLEEP_TIMEOUT_NANOS = 100_000_000;
    private static final int SIGSYS = 31;

    private final SystrapAddressSpace as;
    private final int slot;
    private final ByteBuffer msg;
    private final long slotAddrSentry;
    private final long slotAddrStub;
    private final int tid;
    private final Pointer timeout = new com.sun.jna.Memory(16);
    private int gregs;
    private int event;
    private long fsBase;
    private byte[] initialFp;
    /** A result set through the header's syscall line, for the stub to put in RAX. */
    private boolean resultPending;

    SystrapContext(SystrapAddressSpace as, int slot) {
        this.as = as;
        this.slot = slot;
        long off = slot * StubBinary.SLOT_SIZE;
        this.slotAddrSentry = as.sysmsgBase + off;
        this.slotAddrStub = StubBinary.SYSMSG_BASE + off;
        this.msg = new Pointer(slotAddrSentry).getByteBuffer(0, StubBinary.SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        timeout.setLong(0, SLEEP_TIMEOUT_NANOS / 1_000_000_000L);
        timeout.setLong(8, SLEEP_TIMEOUT_NANOS % 1_000_000_000L);
        waitForStub();
        this.tid = msg.getInt(TID);
    }

    /** The stub announces itself with an interrupt: remember its initial FP state for fresh images. */
    void awaitFirstStop() {
        readEvent();
        initialFp = readFp();
    }

    /** Whether the host traps CPUID in this stub (CPUID faulting), so the Sentry can virtualise it. */
    boolean cpuidFaulting() {
        return msg.getInt(CPUID_FAULT) == 0;
    }

    @Override
    public StopReason switchToApp() {
        flushOps(as.multiThreaded());
        msg.putLong(FS_BASE, fsBase);
        publish(resultPending ? ST_RUN_RESULT : ST_RUN);
        resultPending = false;
        int st = waitForStub();
        if (st == ST_OPFAIL) {
            throw new PlatformException("stub could not apply a mapping change: host errno " + -msg.getInt(OP_ERROR));
        }
        return readEvent();
    }

    private StopReason readEvent() {
        gregs = (int) msg.getLong(UC_OFFSET) + UC_GREGS;
        event = msg.getInt(EVENT);
        if (event == SIGSYS) {
            return StopReason.SYSCALL;
        }
        return event == StubBinary.SIG_INTERRUPT ? StopReason.INTERRUPT : StopReason.FAULT;
    }

    /**
     * Hands queued mapping changes to the stub. With {@code now} they are applied before this returns
     * (needed when other threads of the space may be running app code); otherwise the last batch rides
     * along with the next ST_RUN.
     */
    void flushOps(boolean now) {
        List<long[]> ops = as.pendingOps();
        synchronized (ops) {
            if (ops.isEmpty()) {
                return;
            }
            sendOps(ops, now);
        }
    }

    private void sendOps(List<long[]> ops, boolean now) {
        int i = 0;
        while (true) {
            int n = Math.min(MAX_OPS, ops.size() - i);
            for (int k = 0; k < n; k++) {
                long[] op = ops.get(i + k);
                int at = OPS + k * OP_SIZE;
                msg.putInt(at, (int) op[0]);
                msg.putInt(at + 4, (int) op[3]);
                msg.putLong(at + 8, op[1]);
                msg.putLong(at + 16, op[2]);
                msg.putLong(at + 24, op[4]);
            }
            msg.putInt(NOPS, n);
            i += n;
            if (i == ops.size() && !now) {
                break;
            }
            // More than one batch: apply this one now and wait for it.
            publish(ST_OPS);
            if (waitForStub() != ST_OPS_DONE || msg.getInt(OP_ERROR) != 0) {
                throw new PlatformException("stub could not apply a mapping change: host errno " + -msg.getInt(OP_ERROR));
            }
            if (i == ops.size()) {
                break;
            }
        }
        ops.clear();
    }

    @Override
    public Context newThread() {
        int newSlot = as.allocateSlot();
        msg.putLong(CLONE_SLOT, newSlot);
        publish(ST_CLONE);
        if (waitForStub() != ST_CLONE_DONE) {
            throw new PlatformException("stub process " + as.pid + " did not answer a thread request");
        }
        long r = msg.getLong(CLONE_RESULT);
        if (r < 0) {
            as.freeSlot(newSlot);
            throw new PlatformException("stub process " + as.pid + " could not start a thread: host errno " + -r);
        }
        SystrapContext c = new SystrapContext(as, newSlot);
        c.awaitFirstStop();
        return c;
    }

    private void publish(int state) {
        INT.setVolatile(msg, STATE, state);
        if ((int) INT.getVolatile(msg, STUB_SLEEPING) != 0) {
            Libc.syscall(Libc.SYS_FUTEX, slotAddrSentry + STATE, Libc.FUTEX_WAKE, 1, 0, 0, 0);
        }
    }

    private static boolean stubOwns(int st) {
        return st == ST_EVENT || st == ST_OPS_DONE || st == ST_OPFAIL || st == ST_CLONE_DONE;
    }

    /** Waits until the stub hands the thread back; spins first, then sleeps, checking the stub is alive. */
    private int waitForStub() {
        int st = (int) INT.getVolatile(msg, STATE);
        if (stubOwns(st)) {
            return st;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (true) {
            st = (int) INT.getVolatile(msg, STATE);
            if (stubOwns(st)) {
                return st;
            }
            if ((++spins & 63) == 0) {
                long waited = System.nanoTime() - start;
                if (waited > YIELD_NANOS) {
                    break;
                }
                if (waited > SPIN_NANOS) {
                    Thread.yield();
                    continue;
                }
            }
            Thread.onSpinWait();
        }
        while (true) {
            INT.setVolatile(msg, SENTRY_SLEEPING, 1);
            st = (int) INT.getVolatile(msg, STATE);
            if (!stubOwns(st)) {
                long r = Libc.syscall(Libc.SYS_FUTEX, slotAddrSentry + STATE, Libc.FUTEX_WAIT, st,
                        Pointer.nativeValue(timeout), 0, 0);
                if (r == -1 && Libc.errno() == Libc.ETIMEDOUT) {
                    as.checkAlive();
                }
            }
            INT.setVolatile(msg, SENTRY_SLEEPING, 0);
            st = (int) INT.getVolatile(msg, STATE);
            if (stubOwns(st)) {
                return st;
            }
        }
    }

    @Override
    public long reg(Reg r) {
        if (r == Reg.RAX && resultPending) {
            return msg.getLong(SC_RESULT);
        }
        return msg.getLong(gregs + r.ordinal() * 8);
    }

    @Override
    public void setReg(Reg r, long v) {
        if (r == Reg.RAX) {
            resultPending = false;
        }
        msg.putLong(gregs + r.ordinal() * 8, v);
    }

    @Override
    public long syscallNumber() {
        return msg.getLong(SC_NR);
    }

    @Override
    public long syscallArg(int i) {
        return msg.getLong(SC_ARGS + 8 * i);
    }

    @Override
    public void setSyscallResult(long v) {
        msg.putLong(SC_RESULT, v);
        resultPending = true;
    }

    @Override
    public long fsBase() {
        return fsBase;
    }

    @Override
    public void setFsBase(long v) {
        fsBase = v;
    }

    @Override
    public int faultSignal() {
        return event;
    }

    @Override
    public int faultCode() {
        return msg.getInt(SI_CODE);
    }

    @Override
    public long faultAddress() {
        return msg.getLong(FAULT_ADDR);
    }

    @Override
    public long trapNumber() {
        return msg.getLong(gregs + GREG_TRAPNO * 8);
    }

    @Override
    public long trapError() {
        return msg.getLong(gregs + GREG_ERR * 8);
    }

    /** Offset in the slot of the FP state area of the current frame, and its xstate size. */
    private int fpOffset() {
        long ptr = msg.getLong(gregs + GREG_FPSTATE * 8);
        long off = ptr - slotAddrStub;
        if (ptr == 0 || off < 0 || off >= StubBinary.SLOT_SIZE) {
            throw new PlatformException("signal frame without FP state");
        }
        return (int) off;
    }

    private int fpSize(int fpOff) {
        if (msg.getInt(fpOff + FX_SW_BYTES) != FP_XSTATE_MAGIC1) {
            return 512; // legacy FXSAVE frame
        }
        return msg.getInt(fpOff + FX_SW_BYTES + 16);
    }

    private byte[] readFp() {
        int off = fpOffset();
        byte[] fp = new byte[fpSize(off)];
        msg.get(off, fp);
        return fp;
    }

    @Override
    public void save(CpuState into) {
        for (Reg r : Reg.values()) {
            into.set(r, reg(r));
        }
        into.fsBase = fsBase;
        into.fpState = readFp();
    }

    @Override
    public void load(CpuState from) {
        for (Reg r : Reg.values()) {
            setReg(r, from.get(r));
        }
        fsBase = from.fsBase;
        byte[] fp = from.fpState != null ? from.fpState : initialFp;
        int off = fpOffset();
        if (fp.length != fpSize(off)) {
            throw new PlatformException("saved FP state is " + fp.length + " bytes, this host's is " + fpSize(off)
                    + " (different CPU features)");
        }
        msg.put(off, fp);
    }

    @Override
    public long cpuTimeNanos(boolean wholeProcess) {
        if (!wholeProcess) {
            // Linux refuses another process's thread CPU clock; schedstat has the same count in ns.
            try {
                String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + as.pid + "/task/" + tid + "/schedstat"));
                return Long.parseLong(s.substring(0, s.indexOf(' ')));
            } catch (java.io.IOException | RuntimeException e) {
                throw new PlatformException("cannot read the CPU time of stub thread " + tid + ": " + e.getMessage());
            }
        }
        // Linux's MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED).
        int clock = (~as.pid << 3) | 2;
        Libc.check(Libc.clock_gettime(clock, Pointer.nativeValue(timeout)), "clock_gettime of a stub");
        long ns = timeout.getLong(0) * 1_000_000_000L + timeout.getLong(8);
        timeout.setLong(0, SLEEP_TIMEOUT_NANOS / 1_000_000_000L);
        timeout.setLong(8, SLEEP_TIMEOUT_NANOS % 1_000_000_000L);
        return ns;
    }

    @Override
    public void interrupt() {
        Libc.syscall(Libc.SYS_TGKILL, as.pid, tid, StubBinary.SIG_INTERRUPT, 0, 0, 0);
    }

    @Override
    public void release() {
        if (!as.released()) {
            publish(ST_EXIT);
        }
        as.freeSlot(slot);
    }
}
