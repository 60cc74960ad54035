package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.overlay.OverlayFs;
import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.Mount;
import java.util.IdentityHashMap;

/**
 * memfd_create(2): an anonymous in-memory file, like a tmpfs file that no directory names; and its
 * seals (fcntl F_ADD_SEALS / F_GET_SEALS, mm/memfd.c), which tmpfs files have too.
 */
final class SysMemfd {
    private SysMemfd() {}

    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8,
            MFD_EXEC = 0x10;
    private static final int MFD_NAME_MAX = 249;

    /**
     * memfd_create(2): MFD_ALLOW_SEALING starts the file without F_SEAL_SEAL; MFD_NOEXEC_SEAL makes it
     * mode 0666 sealed with F_SEAL_EXEC (and sealable); MFD_HUGETLB is EINVAL (no hugetlbfs).
     */
    static long memfdCreate(Task t, SyscallArgs a) {
        int flags = (int) a.a1;
        if ((a.a1 & ~(long) (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)) != 0
                || (flags & MFD_HUGETLB) != 0
                || (flags & MFD_EXEC) != 0 && (flags & MFD_NOEXEC_SEAL) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String name;
        try {
            name = t.mm().readCString(a.a0, MFD_NAME_MAX + 1);
        } catch (SyscallException e) {
            // A name longer than 249 bytes is EINVAL (strnlen_user past MFD_NAME_MAX_LEN).
            throw new SyscallException(e.errno == Errno.ENAMETOOLONG ? Errno.EINVAL : e.errno);
        }
        MemFs fs = t.kernel.memfdFs();
        boolean noexec = (flags & MFD_NOEXEC_SEAL) != 0;
        MemFile f = new MemFile(fs, fs.nextIno(), noexec ? 0666 : 0777, t.threadGroup().creds.fsuid,
                t.threadGroup().creds.fsgid);
        f.markUnnamed();
        if (noexec) {
            f.setSeals(MemFile.F_SEAL_EXEC);
        } else if ((flags & MFD_ALLOW_SEALING) != 0) {
            f.setSeals(0);
        }
        Dentry d = new Dentry("memfd:" + name, null, f);
        Location at = new Location(new Mount(fs, d, null, null, false, "memfd"), d);
        return t.fds().install(f.open(t, at, FileMode.O_RDWR), 0, (flags & MFD_CLOEXEC) != 0,
                t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE]);
    }

    /** The file's seals if it is a tmpfs file (shmem: memfds, /dev/shm...), else null. */
    private static MemFile sealable(FileDescription f) {
        Location l = f.location();
        if (l != null && l.inode() instanceof MemFile mf && !(mf.fs() instanceof OverlayFs)) {
            return mf;
        }
        return null;
    }

    /** F_GET_SEALS: EINVAL for a file that is not on tmpfs. */
    static long getSeals(FileDescription f) {
        MemFile mf = sealable(f);
        if (mf == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        return mf.seals();
    }

    /**
     * F_ADD_SEALS (memfd_add_seals): the fd must be open for writing (EPERM), the seals known (EINVAL),
     * the file on tmpfs (EINVAL) and not sealed with F_SEAL_SEAL (EPERM); F_SEAL_WRITE is EBUSY while a
     * shared mapping could still write the file; F_SEAL_EXEC on an executable file also seals writes
     * and size changes (W^X from the start).
     */
    static long addSeals(Task t, FileDescription f, long seals) {
        if (!FileMode.writable(f.flags())) {
            throw new SyscallException(Errno.EPERM);
        }
        if ((seals & ~(long) MemFile.ALL_SEALS) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        MemFile mf = sealable(f);
        if (mf == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        synchronized (mf) {
            int cur = mf.seals();
            if ((cur & MemFile.F_SEAL_SEAL) != 0) {
                throw new SyscallException(Errno.EPERM);
            }
            int add = (int) seals;
            if ((add & MemFile.F_SEAL_WRITE) != 0 && (cur & MemFile.F_SEAL_WRITE) == 0 && writablyMapped(t, mf)) {
                throw new SyscallException(Errno.EBUSY);
            }
            if ((add & MemFile.F_SEAL_EXEC) != 0 && (mf.mode() & 0111) != 0) {
                add |= MemFile.F_SEAL_SHRINK | MemFile.F_SEAL_GROW | MemFile.F_SEAL_WRITE | MemFile.F_SEAL_FUTURE_WRITE;
            }
            mf.setSeals(cur | add);
        }
        return 0;
    }

    /** Whether any address space has a shared mapping of the file made through a writable fd (VM_MAYWRITE). */
    private static boolean writablyMapped(Task t, MemFile mf) {
        IdentityHashMap<MemoryManager, Boolean> seen = new IdentityHashMap<>();
        for (Task o : t.kernel.tasks()) {
            MemoryManager mm = o.mm();
            if (mm == null || seen.put(mm, Boolean.TRUE) != null) {
                continue;
            }
            for (Vma v : mm.vmas()) {
                if (v.file == mf && (v.flags & MemoryManager.MAP_SHARED) != 0 && (v.flags & Vma.VM_MAYWRITE) != 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
