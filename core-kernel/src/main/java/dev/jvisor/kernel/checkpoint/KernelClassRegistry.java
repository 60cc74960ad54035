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
        r.add(dev.jvisor.kernel.vfs.MountNamespace.class, 117);
        r.add(dev.jvisor.kernel.vfs.Mount.class, 118);
        r.add(dev.jvisor.kernel.vfs.Dentry.class, 119);
        r.add(dev.jvisor.kernel.vfs.Location.class, 120);
        r.add(dev.jvisor.kernel.vfs.FsContext.class, 121);
        r.add(dev.jvisor.kernel.vfs.FileData.class, 122);
        r.add(dev.jvisor.kernel.vfs.DirEntry.class, 123);
        r.add(dev.jvisor.kernel.vfs.InodeFileDescription.class, 124);
        r.add(dev.jvisor.kernel.vfs.DirectoryDescription.class, 125);
        r.add(dev.jvisor.kernel.vfs.PathDescription.class, 126);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemFs.class, 127);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemDir.class, 128);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemFile.class, 129);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemFile.OpenMemFile.class, 130);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemSymlink.class, 131);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemFifo.class, 132);
        r.add(dev.jvisor.kernel.fs.overlay.OverlayFs.class, 133);
        r.add(dev.jvisor.kernel.fs.overlay.OverlayDir.class, 134);
        r.add(dev.jvisor.kernel.fs.overlay.OverlayFile.class, 135);
        r.add(dev.jvisor.kernel.fs.overlay.OverlaySymlink.class, 136);
        r.add(dev.jvisor.kernel.fs.overlay.OverlaySpecial.class, 137);
        r.add(dev.jvisor.kernel.fs.dev.DevFs.class, 138);
        r.add(dev.jvisor.kernel.fs.dev.DeviceNode.class, 139);
        r.add(dev.jvisor.kernel.fs.dev.DeviceFile.class, 140);
        r.add(dev.jvisor.kernel.fs.dev.Device.class, 141);
        r.add(dev.jvisor.kernel.vfs.FileLocks.class, 142);
        r.add(dev.jvisor.kernel.vfs.FileLocks.Range.class, 143);
        r.add(dev.jvisor.kernel.PendingSignals.class, 144);
        r.add(dev.jvisor.kernel.SigInfo.class, 145);
        r.add(dev.jvisor.kernel.mm.PageRefs.class, 146);
        r.add(dev.jvisor.kernel.mm.PageRefs.Run.class, 147);
        r.add(dev.jvisor.kernel.fs.signalfd.SignalFdFile.class, 148);
        r.add(dev.jvisor.kernel.vfs.HiddenRootDir.class, 149);
        // pipes and procfs (a block of their own, 400-429)
        r.add(dev.jvisor.kernel.fs.pipe.Pipe.class, 400);
        r.add(dev.jvisor.kernel.fs.pipe.PipeFs.class, 401);
        r.add(dev.jvisor.kernel.fs.pipe.PipeInode.class, 403);
        r.add(dev.jvisor.kernel.fs.pipe.PipeFileDescription.class, 404);
        r.add(dev.jvisor.kernel.fs.proc.ProcFs.class, 405);
        r.add(dev.jvisor.kernel.fs.proc.CpuIdentity.class, 406);
        r.add(dev.jvisor.kernel.fs.proc.ProcRootDir.class, 407);
        r.add(dev.jvisor.kernel.fs.proc.StaticDir.class, 408);
        r.add(dev.jvisor.kernel.fs.proc.PidDir.class, 409);
        r.add(dev.jvisor.kernel.fs.proc.FdDir.class, 410);
        r.add(dev.jvisor.kernel.fs.proc.TaskDir.class, 411);
        r.add(dev.jvisor.kernel.fs.proc.ProcFile.class, 412);
        r.add(dev.jvisor.kernel.fs.proc.ProcFile.Kind.class, 413);
        r.add(dev.jvisor.kernel.fs.proc.ProcLink.class, 414);
        r.add(dev.jvisor.kernel.fs.proc.ProcLink.Kind.class, 415);
        r.add(dev.jvisor.kernel.fs.proc.ProcFileDescription.class, 416);
        r.add(dev.jvisor.kernel.fs.host.HostStdioNode.class, 417);
        // waiting on many things: wait queues, epoll, eventfd, timerfd, restarts (500-529)
        r.add(dev.jvisor.kernel.vfs.WaitQueue.class, 500);
        r.add(dev.jvisor.kernel.fs.epoll.EpollFile.class, 501);
        r.add(dev.jvisor.kernel.fs.epoll.EpollEntry.class, 502);
        r.add(dev.jvisor.kernel.fs.eventfd.EventFdFile.class, 503);
        r.add(dev.jvisor.kernel.fs.timerfd.TimerFdFile.class, 504);
        r.add(dev.jvisor.kernel.syscalls.PollRestart.class, 505);
        r.add(dev.jvisor.kernel.syscalls.EpollWaitRestart.class, 506);
        // futexes (630-639)
        r.add(dev.jvisor.kernel.syscalls.FutexWaitRestart.class, 630);
        // identity, limits, scheduling and prctl settings (600-629)
        r.add(dev.jvisor.kernel.TaskSettings.class, 600);
        r.add(dev.jvisor.kernel.ProcessSettings.class, 601);
        // timers (640-659)
        r.add(dev.jvisor.kernel.ProcessTimers.class, 640);
        r.add(dev.jvisor.kernel.ProcessTimers.CpuItimer.class, 641);
        r.add(dev.jvisor.kernel.PosixTimer.class, 642);
        // bind mounts served by the gofer (700-729)
        r.add(dev.jvisor.kernel.fs.gofer.GoferFs.class, 700);
        r.add(dev.jvisor.kernel.fs.gofer.GoferDir.class, 701);
        r.add(dev.jvisor.kernel.fs.gofer.GoferFile.class, 702);
        r.add(dev.jvisor.kernel.fs.gofer.GoferSymlink.class, 703);
        r.add(dev.jvisor.kernel.fs.gofer.GoferSpecial.class, 704);
        r.add(dev.jvisor.kernel.fs.gofer.GoferFileDescription.class, 705);
        // more files: inotify, device nodes in tmpfs (730-759)
        r.add(dev.jvisor.kernel.fs.inotify.InotifyFile.class, 730);
        r.add(dev.jvisor.kernel.fs.inotify.InotifyWatch.class, 731);
        r.add(dev.jvisor.kernel.fs.inotify.InotifyEvent.class, 732);
        r.add(dev.jvisor.kernel.fs.inotify.InotifyLimits.class, 733);
        r.add(dev.jvisor.kernel.vfs.InodeWatches.class, 734);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemDevice.class, 735);
        // sockets (a block of their own, 550-599): the net package lists its classes itself
        dev.jvisor.kernel.net.NetClasses.register(r);
    }
}
