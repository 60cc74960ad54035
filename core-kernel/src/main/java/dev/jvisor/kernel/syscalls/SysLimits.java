package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * Resource limit syscalls: getrlimit(2), setrlimit(2), prlimit64(2) (kernel/sys.c do_prlimit). The
 * soft limit may not exceed the hard one (EINVAL); raising a hard limit needs CAP_SYS_RESOURCE, and
 * RLIMIT_NOFILE's hard limit may never exceed fs.nr_open (EPERM). The fd table enforces
 * RLIMIT_NOFILE (EMFILE) and regular-file writes RLIMIT_FSIZE (EFBIG, SIGXFSZ).
 */
final class SysLimits {
    private SysLimits() {}

    /** getrlimit(2) */
    static long getrlimit(Task t, SyscallArgs a) {
        long[] old = prlimit(t, t, a.a0 & 0xffffffffL, null);
        writeLimit(t, a.a1, old);
        return 0;
    }

    /** setrlimit(2): the new limit is read before the resource is checked, as Linux does. */
    static long setrlimit(Task t, SyscallArgs a) {
        long[] want = readLimit(t, a.a1);
        prlimit(t, t, a.a0 & 0xffffffffL, want);
        return 0;
    }

    /**
     * prlimit64(2): on the caller or any task whose real, effective and saved ids all equal the
     * caller's real ids (or with CAP_SYS_RESOURCE).
     */
    static long prlimit64(Task t, SyscallArgs a) {
        long[] want = a.a2 != 0 ? readLimit(t, a.a2) : null;
        Task target = Tasks.byTid(t, (int) a.a0);
        if (target != t) {
            Credentials c = t.threadGroup().creds, o = target.threadGroup().creds;
            boolean sameIds = c.uid == o.uid && c.uid == o.euid && c.uid == o.suid && c.gid == o.gid
                    && c.gid == o.egid && c.gid == o.sgid;
            if (!sameIds && !c.hasCap(Capabilities.CAP_SYS_RESOURCE)) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        long[] old = prlimit(t, target, a.a1 & 0xffffffffL, want);
        if (a.a3 != 0) {
            writeLimit(t, a.a3, old);
        }
        return 0;
    }

    private static long[] readLimit(Task t, long addr) {
        byte[] b = t.mm().read(addr, 16);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return new long[] {bb.getLong(), bb.getLong()};
    }

    private static void writeLimit(Task t, long addr, long[] v) {
        byte[] b = new byte[16];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v[0]).putLong(v[1]);
        t.mm().copyOut(addr, b, 0, 16);
    }

    /** Linux's do_prlimit: returns the old {soft, hard} and installs {@code want} if given. */
    private static long[] prlimit(Task caller, Task target, long resource, long[] want) {
        if (resource < 0 || resource >= Limits.NLIMITS) {
            throw new SyscallException(Errno.EINVAL);
        }
        int r = (int) resource;
        if (want != null) {
            if (Long.compareUnsigned(want[0], want[1]) > 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (r == Limits.RLIMIT_NOFILE && Long.compareUnsigned(want[1], Limits.NR_OPEN) > 0) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        Limits l = target.threadGroup().limits;
        synchronized (l) {
            long[] old = {l.soft[r], l.hard[r]};
            if (want != null) {
                if (Long.compareUnsigned(want[1], old[1]) > 0
                        && !caller.threadGroup().creds.hasCap(Capabilities.CAP_SYS_RESOURCE)) {
                    throw new SyscallException(Errno.EPERM);
                }
                l.set(r, want[0], want[1]);
            }
            return old;
        }
    }
}
