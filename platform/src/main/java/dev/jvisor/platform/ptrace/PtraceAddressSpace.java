package dev.jvisor.platform.ptrace;

import com.sun.jna.Pointer;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.StubBinary;
import dev.jvisor.platform.host.Libc;
import dev.jvisor.platform.host.StubLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One ptrace-mode stub process: a clean address space with one thread, which its {@link PtraceContext}
 * seizes lazily. The sysmsg file only carries the stub's start-up header here. Mapping changes are
 * queued and applied, as injected syscalls, before the thread next runs app code.
 */
final class PtraceAddressSpace implements AddressSpace {
    /** Offsets in slot 0's header (struct sysmsg in stub.h). */
    private static final int STATE = 0, TID = 36, CPUID_FAULT = 68, ATTACHED = 88, SYSCALL_SITE = 96,
            CLONE_SITE = 120, PARK_WORD = 92;
    private static final int ST_READY = 1; // ST_EVENT: the stub has cleaned its address space
    private static final long START_TIMEOUT_NANOS = 10_000_000_000L;

    static final int OP_MAP = 1, OP_UNMAP = 2, OP_PROTECT = 3;

    final int pid;
    final long syscallSite;
    final long cloneSite;
    private final int sysmsgFd;
    private final long sysmsgBase;
    private final boolean cpuidFaulting;
    /** Mapping changes not yet applied; guarded by itself, as any thread of this space may queue them. */
    private final List<long[]> pendingOps = new ArrayList<>();
    private int threads = 1;
    /** Host tids of threads started after the first: traced ones must be reaped before the leader. */
    private final List<Integer> extraTids = new ArrayList<>();
    private final PtraceContext main;
    private volatile boolean released;
    private volatile boolean reaped;

    PtraceAddressSpace(StubLauncher launcher, MemoryFile memory) {
        sysmsgFd = (int) Libc.memfdCreate("jvisor-sysmsg", Libc.MFD_CLOEXEC);
        Libc.check(Libc.ftruncate(sysmsgFd, StubBinary.SYSMSG_SIZE), "ftruncate sysmsg");
        sysmsgBase = Libc.check(Libc.mmap(0, StubBinary.SYSMSG_SIZE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_SHARED, sysmsgFd, 0), "mmap sysmsg");
        pid = launcher.spawn("ptrace", memory.fd(), sysmsgFd);
        Pointer header = new Pointer(sysmsgBase);
        try {
            awaitReady(header);
        } catch (PlatformException e) {
            release();
            throw e;
        }
        syscallSite = header.getLong(SYSCALL_SITE);
        cloneSite = header.getLong(CLONE_SITE);
        cpuidFaulting = header.getInt(CPUID_FAULT) == 0;
        main = new PtraceContext(this, header.getInt(TID));
    }

    /** Waits until the stub has unmapped everything of its own; start-up is rare, so poll. */
    private void awaitReady(Pointer header) {
        long start = System.nanoTime();
        for (int i = 0; header.getInt(STATE) != ST_READY; i++) {
            String end = reapIfExited();
            if (end != null) {
                throw new PlatformException("the ptrace stub died during start-up: " + end);
            }
            if (System.nanoTime() - start > START_TIMEOUT_NANOS) {
                throw new PlatformException("the ptrace stub " + pid + " did not start within 10 s");
            }
            if (i < 1000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Tells the stub it is traced (it parks either way; this is the protocol's handshake word). */
    void markAttached() {
        new Pointer(sysmsgBase).setInt(ATTACHED, 1);
    }

    @Override
    public void map(long addr, long len, long fileOffset, int prot) {
        queue(new long[] {OP_MAP, addr, len, prot, fileOffset});
    }

    @Override
    public void unmap(long addr, long len) {
        queue(new long[] {OP_UNMAP, addr, len, 0, 0});
    }

    @Override
    public void protect(long addr, long len, int prot) {
        queue(new long[] {OP_PROTECT, addr, len, prot, 0});
    }

    private void queue(long[] op) {
        synchronized (pendingOps) {
            pendingOps.add(op);
        }
    }

    /** The queue of mapping changes; hold its monitor while reading or draining it. */
    List<long[]> pendingOps() {
        return pendingOps;
    }

    @Override
    public void flush(Context stopped) {
        ((PtraceContext) stopped).flushOps();
    }

    /** A word of the stub's header that stays 0: released threads sleep on it for good. */
    long parkWord() {
        return StubBinary.SYSMSG_BASE + PARK_WORD;
    }

    synchronized void threadStarted(int tid) {
        threads++;
        extraTids.add(tid);
    }

    /** Counts a thread's end; true if it was the last one. */
    synchronized boolean threadEnded() {
        return --threads == 0;
    }

    @Override
    public boolean cpuidFaulting() {
        return cpuidFaulting;
    }

    @Override
    public Context mainContext() {
        return main;
    }

    boolean released() {
        return released;
    }

    void markReaped() {
        reaped = true;
    }

    /** If the stub has ended (or ends within 100 ms, as a killed one does), reaps it and says how. */
    String reapIfExited() {
        if (reaped) {
            return "stub process " + pid + " has exited";
        }
        int[] status = new int[1];
        long deadline = System.nanoTime() + 100_000_000L;
        do {
            int r = Libc.waitpid(pid, status, Libc.WNOHANG | Libc.WALL);
            if (r == pid && (status[0] & 0xff) != 0x7f) {
                reaped = true;
                return describeExit(pid, status[0]);
            }
            if (r == -1 && Libc.errno() == Libc.ECHILD) {
                return "stub process " + pid + " is gone";
            }
            if (r == pid) {
                return null; // a stop, not an end
            }
            LockSupport.parkNanos(1_000_000);
        } while (System.nanoTime() < deadline);
        return null;
    }

    static String describeExit(int pid, int status) {
        if ((status & 0x7f) == 0) {
            return "stub process " + pid + " exited with status " + ((status >> 8) & 0xff);
        }
        return "stub process " + pid + " was killed by signal " + (status & 0x7f);
    }

    @Override
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        Libc.syscall(Libc.SYS_KILL, pid, Libc.SIGKILL, 0, 0, 0, 0);
        for (int tid : extraTids) {
            while (Libc.waitpid(tid, new int[1], Libc.WALL) == -1 && Libc.errno() == Libc.EINTR) {
                Thread.onSpinWait();
            }
        }
        if (!reaped) {
            // Blocks only until the SIGKILL lands; ECHILD if the tracer thread reaped it meanwhile.
            while (Libc.waitpid(pid, new int[1], Libc.WALL) == -1 && Libc.errno() == Libc.EINTR) {
                Thread.onSpinWait();
            }
            reaped = true;
        }
        Libc.munmap(sysmsgBase, StubBinary.SYSMSG_SIZE);
        Libc.close(sysmsgFd);
    }
}
