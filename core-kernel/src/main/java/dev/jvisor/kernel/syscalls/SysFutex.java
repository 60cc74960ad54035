package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** futex(2): WAIT, WAKE and their BITSET forms within one address space. */
final class SysFutex {
    private SysFutex() {}

    private static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    private static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    private static final int BITSET_ALL = -1;

    /** futex(2) */
    static long futex(Task t, SyscallArgs a) {
        long addr = a.a0;
        int op = (int) a.a1;
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        if ((addr & 3) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        switch (cmd) {
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                int bitset = cmd == FUTEX_WAIT ? BITSET_ALL : (int) a.a5;
                if (bitset == 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                long deadline = Long.MAX_VALUE;
                if (a.a3 != 0) {
                    long sec = t.mm().readLong(a.a3);
                    long nsec = t.mm().readLong(a.a3 + 8);
                    if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    long ns = sec * 1_000_000_000L + nsec;
                    long now = t.kernel.clock().now();
                    if (cmd == FUTEX_WAIT) {
                        deadline = now + ns;
                    } else if ((op & FUTEX_CLOCK_REALTIME) != 0) {
                        deadline = now + (ns - SysTime.realtimeNanos());
                    } else {
                        deadline = ns;
                    }
                }
                return t.kernel.runtime().futexes().await(t, addr, (int) a.a2, bitset, deadline);
            }
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                int bitset = cmd == FUTEX_WAKE ? BITSET_ALL : (int) a.a5;
                if (bitset == 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                t.mm().readInt(addr);
                return t.kernel.runtime().futexes().wake(t.mm(), addr, (int) Math.min(a.a2, Integer.MAX_VALUE), bitset);
            }
            default -> throw new SyscallException(Errno.ENOSYS);
        }
    }
}
