package dev.jvisor.kernel.checkpoint;

import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.MonotonicClock;
import dev.jvisor.kernel.SignalActions;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.ThreadGroup;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.PageAllocator;
import dev.jvisor.state.ClassRegistry;
import dev.jvisor.state.Registrar;

/**
 * The one list of kernel classes a snapshot may hold, with their stable Kryo IDs. IDs are never
 * reused or renumbered: a removed class leaves a gap, a new class takes the next free number.
 */
public final class KernelClassRegistry implements ClassRegistry {
    @Override
    public void register(Registrar r) {
        r.add(Kernel.class, 100);
        r.add(MemoryFile.class, 101);
        r.add(PageAllocator.class, 102);
        r.add(MonotonicClock.class, 103);
        r.add(Task.class, 104);
        r.add(ThreadGroup.class, 105);
        r.add(SignalActions.class, 106);
        r.add(Limits.class, 107);
        r.add(Credentials.class, 108);
        r.add(ExitStatus.class, 109);
        r.add(CpuState.class, 110);
        r.add(MemoryManager.class, 111);
        r.add(dev.jvisor.kernel.mm.Vma.class, 112);
        r.add(dev.jvisor.kernel.mm.Extent.class, 113);
        r.add(FdTable.class, 114);
        r.add(HostStdioFile.class, 115);
        r.add(dev.jvisor.kernel.syscalls.SleepRestart.class, 116);
    }
}
