package dev.jvisor.platform.systrap;

import com.sun.jna.Memory;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.StubBinary;
import dev.jvisor.platform.host.Libc;
import dev.jvisor.platform.host.StubLauncher;
import java.util.ArrayList;
import java.util.List;

/**
 * One stub process: its sysmsg file (one slot per thread, shared with the Sentry) and the queue of
 * mapping changes its threads apply before they next return to app code.
 */
final class SystrapAddressSpace implements AddressSpace {
    final int pid;
    private final int pidfd;
    private final int sysmsgFd;
    final long sysmsgBase;
    private final Memory pollFd = new Memory(8);
    /** Mapping changes not yet applied; guarded by itself, as any thread of this space may queue them. */
    private final List<long[]> pendingOps = new ArrayList<>();
    /** Slots in use by live threads; guarded by this. */
    private final java.util.BitSet slots = new java.util.BitSet();
    private final SystrapContext main;
    private volatile boolean released;

    SystrapAddressSpace(StubLauncher launcher, MemoryFile memory) {
        sysmsgFd = (int) Libc.memfdCreate("jvisor-sysmsg", Libc.MFD_CLOEXEC);
        Libc.check(Libc.ftruncate(sysmsgFd, StubBinary.SYSMSG_SIZE), "ftruncate sysmsg");
        sysmsgBase = Libc.check(Libc.mmap(0, StubBinary.SYSMSG_SIZE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_SHARED, sysmsgFd, 0), "mmap sysmsg");
        pid = launcher.spawn("systrap", memory.fd(), sysmsgFd);
        pidfd = (int) Libc.syscall(Libc.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
        pollFd.setInt(0, pidfd);
        pollFd.setShort(4, (short) 1 /* POLLIN */);
        slots.set(0);
        main = new SystrapContext(this, 0);
        main.awaitFirstStop();
    }

    @Override
    public void map(long addr, long len, long fileOffset, int prot) {
        queue(new long[] {SysmsgLayout.OP_MAP, addr, len, prot, fileOffset});
    }

    @Override
    public void unmap(long addr, long len) {
        queue(new long[] {SysmsgLayout.OP_UNMAP, addr, len, 0, 0});
    }

    @Override
    public void protect(long addr, long len, int prot) {
        queue(new long[] {SysmsgLayout.OP_PROTECT, addr, len, prot, 0});
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
        ((SystrapContext) stopped).flushOps(true);
    }

    /** Whether more than one thread lives here, so mapping changes must be applied before anyone runs on. */
    synchronized boolean multiThreaded() {
        return slots.cardinality() > 1;
    }

    /** A free slot for a new thread: one never used, or one whose thread the host has cleared out. */
    synchronized int allocateSlot() {
        for (int i = slots.nextClearBit(1); i < StubBinary.MAX_THREADS; i = slots.nextClearBit(i + 1)) {
            com.sun.jna.Pointer slot = new com.sun.jna.Pointer(sysmsgBase + i * StubBinary.SLOT_SIZE);
            if (slot.getInt(SysmsgLayout.TID) == 0) {
                slot.setInt(SysmsgLayout.STATE, 0);
                // A new thread runs with its creator's fs base, whatever a former occupant left here.
                slot.setLong(SysmsgLayout.FS_BASE_CUR, -1);
                slots.set(i);
                return i;
            }
        }
        throw new PlatformException("stub process " + pid + " has no free thread slot");
    }

    synchronized void freeSlot(int slot) {
        slots.clear(slot);
    }

    boolean released() {
        return released;
    }

    @Override
    public boolean cpuidFaulting() {
        return main.cpuidFaulting();
    }

    @Override
    public Context mainContext() {
        return main;
    }

    /** True when the stub process has exited (or been killed). */
    boolean stubDead() {
        if (pidfd < 0) {
            return Libc.syscall(Libc.SYS_KILL, pid, 0, 0, 0, 0, 0) != 0;
        }
        pollFd.setShort(6, (short) 0);
        return Libc.poll(com.sun.jna.Pointer.nativeValue(pollFd), 1, 0) > 0;
    }

    /** A one-line account of how the stub ended, reaping it. */
    String deathReport() {
        int[] status = new int[1];
        int r = Libc.waitpid(pid, status, Libc.WNOHANG | Libc.WALL);
        if (r != pid) {
            return "stub process " + pid + " stopped responding";
        }
        int s = status[0];
        if ((s & 0x7f) == 0) {
            return "stub process " + pid + " exited with status " + ((s >> 8) & 0xff);
        }
        return "stub process " + pid + " was killed by signal " + (s & 0x7f);
    }

    @Override
    public void release() {
        if (released) {
            return;
        }
        released = true;
        Libc.syscall(Libc.SYS_KILL, pid, Libc.SIGKILL, 0, 0, 0, 0);
        Libc.waitpid(pid, new int[1], Libc.WALL);
        if (pidfd >= 0) {
            Libc.close(pidfd);
        }
        Libc.munmap(sysmsgBase, StubBinary.SYSMSG_SIZE);
        Libc.close(sysmsgFd);
        pollFd.close();
    }

    void checkAlive() {
        if (stubDead()) {
            throw new PlatformException(deathReport());
        }
    }
}
