package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.Mount;

/** memfd_create(2): an anonymous in-memory file, like a tmpfs file that no directory names. */
final class SysMemfd {
    private SysMemfd() {}

    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;

    /** memfd_create(2) */
    static long memfdCreate(Task t, SyscallArgs a) {
        String name = t.mm().readCString(a.a0, 250);
        int flags = (int) a.a1;
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | 8 | 16)) != 0 || (flags & MFD_HUGETLB) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        MemFs fs = t.kernel.memfdFs();
        MemFile f = new MemFile(fs, fs.nextIno(), 0777, t.threadGroup().creds.fsuid, t.threadGroup().creds.fsgid);
        f.markUnnamed();
        Dentry d = new Dentry("memfd:" + name, null, f);
        Location at = new Location(new Mount(fs, d, null, null, false, "memfd"), d);
        return t.fds().install(f.open(t, at, FileMode.O_RDWR), 0, (flags & MFD_CLOEXEC) != 0,
                t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE]);
    }
}
