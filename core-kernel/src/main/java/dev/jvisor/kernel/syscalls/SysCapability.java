package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.CredentialsCommit;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * capget(2) and capset(2) (kernel/capability.c, security/commoncap.c): the effective, permitted and
 * inheritable sets, through the v1 (32-bit) and v2/v3 (64-bit) header versions.
 */
final class SysCapability {
    private SysCapability() {}

    static final int VERSION_1 = 0x19980330, VERSION_2 = 0x20071026, VERSION_3 = 0x20080522;
    /** One __user_cap_data_struct: effective, permitted, inheritable (u32 each). */
    private static final int DATA_SIZE = 12;

    /**
     * How many 32-bit words each set has in the caller's header version; for an unknown version,
     * writes the kernel's preferred version into the header and fails with EINVAL.
     */
    private static int words(Task t, long header) {
        int version = t.mm().readInt(header);
        switch (version) {
            case VERSION_1:
                return 1;
            case VERSION_2:
            case VERSION_3:
                return 2;
            default:
                t.mm().writeInt(header, VERSION_3);
                throw new SyscallException(Errno.EINVAL);
        }
    }

    /** capget(2): a NULL data pointer only probes the version (0 even when it was unknown). */
    static long capget(Task t, SyscallArgs a) {
        int words;
        try {
            words = words(t, a.a0);
        } catch (SyscallException e) {
            if (a.a1 == 0 && e.errno == Errno.EINVAL) {
                return 0;
            }
            throw e;
        }
        if (a.a1 == 0) {
            return 0;
        }
        int pid = t.mm().readInt(a.a0 + 4);
        if (pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Task target = pid == 0 ? t : Tasks.byTid(t, pid);
        Credentials c = target.threadGroup().creds;
        byte[] b = new byte[words * DATA_SIZE];
        for (int i = 0; i < words; i++) {
            putInt(b, i * DATA_SIZE, (int) (c.capEffective >>> (32 * i)));
            putInt(b, i * DATA_SIZE + 4, (int) (c.capPermitted >>> (32 * i)));
            putInt(b, i * DATA_SIZE + 8, (int) (c.capInheritable >>> (32 * i)));
        }
        t.mm().copyOut(a.a1, b, 0, b.length);
        return 0;
    }

    /**
     * capset(2), for the calling thread only: the new permitted set must be within the old one, the
     * effective within the new permitted, and the inheritable within the old inheritable plus the
     * bounding set (and plus the permitted set unless CAP_SETPCAP). Ambient capabilities that are no
     * longer both permitted and inheritable are dropped.
     */
    static long capset(Task t, SyscallArgs a) {
        int words = words(t, a.a0);
        int pid = t.mm().readInt(a.a0 + 4);
        if (pid != 0 && pid != t.tid) {
            throw new SyscallException(Errno.EPERM);
        }
        byte[] b = new byte[words * DATA_SIZE];
        t.mm().copyIn(a.a1, b, 0, b.length);
        long eff = 0, perm = 0, inh = 0;
        for (int i = 0; i < words; i++) {
            eff |= (getInt(b, i * DATA_SIZE) & 0xffffffffL) << (32 * i);
            perm |= (getInt(b, i * DATA_SIZE + 4) & 0xffffffffL) << (32 * i);
            inh |= (getInt(b, i * DATA_SIZE + 8) & 0xffffffffL) << (32 * i);
        }
        eff &= Capabilities.ALL;
        perm &= Capabilities.ALL;
        inh &= Capabilities.ALL;
        Credentials old = t.threadGroup().creds;
        if (!old.hasCap(Capabilities.CAP_SETPCAP) && !subset(inh, old.capInheritable | old.capPermitted)) {
            throw new SyscallException(Errno.EPERM);
        }
        if (!subset(inh, old.capInheritable | old.capBounding) || !subset(perm, old.capPermitted)
                || !subset(eff, perm)) {
            throw new SyscallException(Errno.EPERM);
        }
        Credentials n = old.copy();
        n.capEffective = eff;
        n.capPermitted = perm;
        n.capInheritable = inh;
        n.capAmbient &= perm & inh;
        CredentialsCommit.commit(t, n);
        return 0;
    }

    private static boolean subset(long a, long b) {
        return (a & ~b) == 0;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | b[off + 3] << 24;
    }
}
