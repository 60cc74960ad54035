package dev.jvisor.kernel.futex;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.mm.Vma;

/**
 * What identifies a futex, as Linux's get_futex_key computes it. A private futex
 * (FUTEX_PRIVATE_FLAG) is its address in one address space. A shared futex in a MAP_SHARED mapping
 * is the memory-file page behind it plus the offset in the page, so every process mapping that
 * memory (after fork, or through the same tmpfs file or memfd) finds the same queue. A shared futex
 * in private memory is the address space and address again, but a distinct key from the private
 * one, as in Linux (FUT_OFF_MMSHARED): a private waiter is not woken by a shared wake.
 *
 * @param space the address space, or null for a memory-file key
 * @param offset the address, or the memory-file offset for a memory-file key
 * @param kind {@link #PRIVATE}, {@link #MM_SHARED} or {@link #FILE}
 */
public record FutexKey(MemoryManager space, long offset, int kind) {
    public static final int PRIVATE = 0, MM_SHARED = 1, FILE = 2;
    /** Linux's TASK_SIZE_MAX on x86-64 (4-level paging): access_ok's limit for user addresses. */
    private static final long TASK_SIZE = 0x7ffffffff000L;

    /**
     * The key of the futex at {@code addr}, checked as Linux does: EINVAL unless 4-byte aligned,
     * EFAULT outside user space; a shared key also needs the page mapped readable ({@code write}:
     * writable), and EFAULT for read-only private anonymous memory.
     */
    public static FutexKey of(MemoryManager mm, long addr, boolean shared, boolean write) {
        if ((addr & 3) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (addr < 0 || addr > TASK_SIZE - 4) {
            throw new SyscallException(Errno.EFAULT);
        }
        if (!shared) {
            return new FutexKey(mm, addr, PRIVATE);
        }
        Vma v = mm.vmaAt(addr);
        boolean writable = v != null && (v.prot & MemoryManager.PROT_WRITE) != 0;
        if (v == null || write && !writable || (v.prot & (MemoryManager.PROT_READ | MemoryManager.PROT_WRITE)) == 0) {
            throw new SyscallException(Errno.EFAULT);
        }
        long backing = mm.sharedBackingOffset(addr);
        if (backing >= 0) {
            return new FutexKey(null, backing, FILE);
        }
        if (!writable && v.file == null) {
            // A read-only anonymous page never changes: Linux refuses it (it is the zero page).
            throw new SyscallException(Errno.EFAULT);
        }
        return new FutexKey(mm, addr, MM_SHARED);
    }

    @Override
    public boolean equals(Object o) {
        // The address space is compared by identity: two equal-looking spaces are different futexes.
        return o instanceof FutexKey k && k.space == space && k.offset == offset && k.kind == kind;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(space) * 31 + Long.hashCode(offset) * 3 + kind;
    }
}
