package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PathResolver;

/** Memory syscalls: mmap(2), munmap(2), mprotect(2), brk(2), madvise(2). */
final class SysMemory {
    private SysMemory() {}

    private static final int MAP_TYPE = 0xf, MAP_SHARED_VALIDATE = 3;
    private static final int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;

    /** mmap(2) */
    static long mmap(Task t, SyscallArgs a) {
        // The kernel's own Vma bits are never the app's to set.
        int flags = (int) a.a3 & ~(Vma.VM_MAYWRITE | Vma.VM_LOCKONFAULT);
        int type = flags & MAP_TYPE;
        if (type != MemoryManager.MAP_SHARED && type != MemoryManager.MAP_PRIVATE && type != MAP_SHARED_VALIDATE) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((a.a5 & (MemoryManager.PAGE - 1)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int prot = (int) a.a2 & (MemoryManager.PROT_READ | MemoryManager.PROT_WRITE | MemoryManager.PROT_EXEC);
        if ((flags & Vma.VM_LOCKED) != 0 || (t.mm().newMappingLockFlags() & Vma.VM_LOCKED) != 0) {
            SysMlock.checkFutureLock(t, a.a1);
        }
        if ((flags & MemoryManager.MAP_ANONYMOUS) != 0) {
            if (type == MAP_SHARED_VALIDATE) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (type == MemoryManager.MAP_SHARED && a.a1 > 0) {
                return sharedAnonymous(t, a.a0, a.a1, prot, flags);
            }
            return t.mm().mmapAnonymous(a.a0, a.a1, prot, flags, "");
        }
        FileDescription f = t.fds().get(a.fd(4));
        Location l = f.location();
        if (l == null || !FileMode.isReg(l.inode().mode())) {
            throw new SyscallException(Errno.ENODEV);
        }
        if (!FileMode.readable(f.flags())) {
            throw new SyscallException(Errno.EACCES);
        }
        boolean shared = type != MemoryManager.MAP_PRIVATE;
        if (shared && (prot & MemoryManager.PROT_WRITE) != 0 && !FileMode.writable(f.flags())) {
            throw new SyscallException(Errno.EACCES);
        }
        dev.jvisor.kernel.fs.gofer.GoferFile hostFile = null;
        if (shared && l.inode() instanceof dev.jvisor.kernel.fs.gofer.GoferFile gf) {
            // A bind-mounted file's bytes live on the host: while it is mapped shared they are cached
            // in memory-file pages, which the mappings share (see GoferFile).
            hostFile = gf;
            gf.beginSharedMapping(t, FileMode.writable(f.flags()));
        }
        if (l.inode() instanceof dev.jvisor.kernel.fs.tmpfs.MemFile mf) {
            int seals = mf.seals();
            boolean writeSealed = (seals & (MemFile.F_SEAL_WRITE | MemFile.F_SEAL_FUTURE_WRITE)) != 0;
            if (shared && (prot & MemoryManager.PROT_WRITE) != 0 && writeSealed) {
                throw new SyscallException(Errno.EPERM);
            }
            if (shared && FileMode.writable(f.flags()) && !writeSealed) {
                // Linux's VM_MAYWRITE: the mapping could be made writable, so F_SEAL_WRITE is EBUSY.
                flags |= Vma.VM_MAYWRITE;
            }
        }
        String name = PathResolver.pathOf(l, t.fsContext().root);
        try {
            return t.mm().mmapFile(a.a0, a.a1, prot, flags, l.inode(), a.a5, name);
        } catch (RuntimeException e) {
            if (hostFile != null) {
                hostFile.sharedMappingFailed();
            }
            throw e;
        }
    }

    /**
     * MAP_SHARED|MAP_ANONYMOUS: as Linux backs it with an unnamed shmem file, so is it here, with an
     * unnamed memory file whose pages every process that inherits the mapping (fork) shares.
     */
    private static long sharedAnonymous(Task t, long addr, long length, int prot, int flags) {
        dev.jvisor.kernel.fs.tmpfs.MemFs fs = t.kernel.memfdFs();
        var creds = t.threadGroup().creds;
        var f = new dev.jvisor.kernel.fs.tmpfs.MemFile(fs, fs.nextIno(), 0600, creds.fsuid, creds.fsgid);
        f.markUnnamed();
        f.truncate(t, MemoryManager.pageUp(length));
        // No name and no fd: the mapping's VMAs alone keep the pages (MemFile frees them with the last).
        return t.mm().mmapFile(addr, length, prot, flags & ~MemoryManager.MAP_ANONYMOUS, f, 0, "/dev/zero (deleted)");
    }

    /** mremap(2) */
    static long mremap(Task t, SyscallArgs a) {
        return t.mm().mremap(a.a0, a.a1, a.a2, (int) a.a3, a.a4);
    }

    /**
     * msync(2): tmpfs memory is the file itself, private memory a copy; a bind-mounted file mapped
     * shared has its cache written back to the host.
     */
    static long msync(Task t, SyscallArgs a) {
        if ((a.a0 & (MemoryManager.PAGE - 1)) != 0 || (a.a2 & ~7) != 0 || (a.a2 & 5) == 5) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = a.a0 + MemoryManager.pageUp(a.a1);
        long covered = a.a0;
        for (dev.jvisor.kernel.mm.Vma v : t.mm().vmas()) {
            if (v.start < end && a.a0 < v.end) {
                if ((v.flags & MemoryManager.MAP_SHARED) != 0 && v.file instanceof dev.jvisor.kernel.fs.gofer.GoferFile gf) {
                    gf.writeBack();
                }
                covered = v.start <= covered ? Math.max(covered, v.end) : covered;
            }
        }
        // As Linux: the mapped parts are synced, and a hole anywhere in the range is ENOMEM.
        if (covered < end) {
            throw new SyscallException(Errno.ENOMEM);
        }
        return 0;
    }

    /** mincore(2): every mapped page counts as resident. */
    static long mincore(Task t, SyscallArgs a) {
        if ((a.a0 & (MemoryManager.PAGE - 1)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long pages = MemoryManager.pageUp(a.a1) / MemoryManager.PAGE;
        for (long p = 0; p < pages; p++) {
            if (t.mm().vmaAt(a.a0 + p * MemoryManager.PAGE) == null) {
                throw new SyscallException(Errno.ENOMEM);
            }
        }
        byte[] v = new byte[(int) pages];
        java.util.Arrays.fill(v, (byte) 1);
        t.mm().copyOut(a.a2, v, 0, v.length);
        return 0;
    }

    /** munmap(2) */
    static long munmap(Task t, SyscallArgs a) {
        t.mm().munmap(a.a0, a.a1);
        return 0;
    }

    /** mprotect(2) */
    static long mprotect(Task t, SyscallArgs a) {
        t.mm().mprotect(a.a0, a.a1, (int) a.a2);
        return 0;
    }

    /** brk(2) */
    static long brk(Task t, SyscallArgs a) {
        return t.mm().brk(a.a0);
    }

    /** madvise(2): MADV_DONTNEED and friends drop pages (they read back as zeros); other advice is a hint. */
    static long madvise(Task t, SyscallArgs a) {
        if ((a.a0 & (MemoryManager.PAGE - 1)) != 0 || a.a1 < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int advice = (int) a.a2;
        if (advice < 0 || advice > 25 && advice != 100 && advice != 101) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE) {
            t.mm().discard(a.a0, a.a0 + MemoryManager.pageUp(a.a1));
        }
        return 0;
    }
}
