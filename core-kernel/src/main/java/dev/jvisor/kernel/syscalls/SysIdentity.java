package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.CredentialsCommit;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * User and group identity syscalls (kernel/sys.c, kernel/groups.c): the get/set family for real,
 * effective, saved and file-system ids and the supplementary groups. CAP_SETUID (CAP_SETGID for
 * groups) may set any id; without it a process may only move among the ids it already has. Every
 * change goes through {@link CredentialsCommit}, which adjusts capabilities, dumpable and the
 * parent-death signal as Linux does.
 */
final class SysIdentity {
    private SysIdentity() {}

    /** setgroups(2)'s NGROUPS_MAX. */
    static final int NGROUPS_MAX = 65536;
    /** (uid_t) -1: "leave unchanged" in the set*id calls, and never a valid id. */
    private static final int KEEP = -1;

    private static Credentials creds(Task t) {
        return t.threadGroup().creds;
    }

    /** getuid(2) */
    static long getuid(Task t, SyscallArgs a) {
        return creds(t).uid & 0xffffffffL;
    }

    /** geteuid(2) */
    static long geteuid(Task t, SyscallArgs a) {
        return creds(t).euid & 0xffffffffL;
    }

    /** getgid(2) */
    static long getgid(Task t, SyscallArgs a) {
        return creds(t).gid & 0xffffffffL;
    }

    /** getegid(2) */
    static long getegid(Task t, SyscallArgs a) {
        return creds(t).egid & 0xffffffffL;
    }

    /** getresuid(2) */
    static long getresuid(Task t, SyscallArgs a) {
        Credentials c = creds(t);
        t.mm().writeInt(a.a0, c.uid);
        t.mm().writeInt(a.a1, c.euid);
        t.mm().writeInt(a.a2, c.suid);
        return 0;
    }

    /** getresgid(2) */
    static long getresgid(Task t, SyscallArgs a) {
        Credentials c = creds(t);
        t.mm().writeInt(a.a0, c.gid);
        t.mm().writeInt(a.a1, c.egid);
        t.mm().writeInt(a.a2, c.sgid);
        return 0;
    }

    private static void checkValid(int... ids) {
        for (int id : ids) {
            if (id == KEEP) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
    }

    /** setuid(2): root sets all of real, effective and saved; others only the effective, to the real or saved. */
    static long setuid(Task t, SyscallArgs a) {
        int uid = (int) a.a0;
        checkValid(uid);
        Credentials old = creds(t);
        Credentials n = old.copy();
        if (old.hasCap(Capabilities.CAP_SETUID)) {
            n.uid = n.suid = uid;
        } else if (uid != old.uid && uid != old.suid) {
            throw new SyscallException(Errno.EPERM);
        }
        n.euid = n.fsuid = uid;
        n.fixupAfterUidChange(old);
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /** setreuid(2): BSD style; the saved uid follows the new effective uid when the real one is set or the effective one changes away from it. */
    static long setreuid(Task t, SyscallArgs a) {
        int ruid = (int) a.a0, euid = (int) a.a1;
        Credentials old = creds(t);
        Credentials n = old.copy();
        boolean cap = old.hasCap(Capabilities.CAP_SETUID);
        if (ruid != KEEP) {
            n.uid = ruid;
            if (ruid != old.uid && ruid != old.euid && !cap) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        if (euid != KEEP) {
            n.euid = euid;
            if (euid != old.uid && euid != old.euid && euid != old.suid && !cap) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        if (ruid != KEEP || euid != KEEP && euid != old.uid) {
            n.suid = n.euid;
        }
        n.fsuid = n.euid;
        n.fixupAfterUidChange(old);
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /** setresuid(2): each of the three may be set to any of the current three, or anything with CAP_SETUID. */
    static long setresuid(Task t, SyscallArgs a) {
        int ruid = (int) a.a0, euid = (int) a.a1, suid = (int) a.a2;
        Credentials old = creds(t);
        if ((ruid == KEEP || ruid == old.uid) && (euid == KEEP || euid == old.euid && euid == old.fsuid)
                && (suid == KEEP || suid == old.suid)) {
            return 0;
        }
        boolean cap = old.hasCap(Capabilities.CAP_SETUID);
        if (!cap && (isNew(ruid, old.uid, old.euid, old.suid) || isNew(euid, old.uid, old.euid, old.suid)
                || isNew(suid, old.uid, old.euid, old.suid))) {
            throw new SyscallException(Errno.EPERM);
        }
        Credentials n = old.copy();
        if (ruid != KEEP) {
            n.uid = ruid;
        }
        if (euid != KEEP) {
            n.euid = euid;
        }
        if (suid != KEEP) {
            n.suid = suid;
        }
        n.fsuid = n.euid;
        n.fixupAfterUidChange(old);
        CredentialsCommit.commit(t, n);
        return 0;
    }

    private static boolean isNew(int id, int r, int e, int s) {
        return id != KEEP && id != r && id != e && id != s;
    }

    /** setgid(2) */
    static long setgid(Task t, SyscallArgs a) {
        int gid = (int) a.a0;
        checkValid(gid);
        Credentials old = creds(t);
        Credentials n = old.copy();
        if (old.hasCap(Capabilities.CAP_SETGID)) {
            n.gid = n.egid = n.sgid = n.fsgid = gid;
        } else if (gid == old.gid || gid == old.sgid) {
            n.egid = n.fsgid = gid;
        } else {
            throw new SyscallException(Errno.EPERM);
        }
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /** setregid(2) */
    static long setregid(Task t, SyscallArgs a) {
        int rgid = (int) a.a0, egid = (int) a.a1;
        Credentials old = creds(t);
        Credentials n = old.copy();
        boolean cap = old.hasCap(Capabilities.CAP_SETGID);
        if (rgid != KEEP) {
            if (rgid != old.gid && rgid != old.egid && !cap) {
                throw new SyscallException(Errno.EPERM);
            }
            n.gid = rgid;
        }
        if (egid != KEEP) {
            if (egid != old.gid && egid != old.egid && egid != old.sgid && !cap) {
                throw new SyscallException(Errno.EPERM);
            }
            n.egid = egid;
        }
        if (rgid != KEEP || egid != KEEP && egid != old.gid) {
            n.sgid = n.egid;
        }
        n.fsgid = n.egid;
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /** setresgid(2) */
    static long setresgid(Task t, SyscallArgs a) {
        int rgid = (int) a.a0, egid = (int) a.a1, sgid = (int) a.a2;
        Credentials old = creds(t);
        if ((rgid == KEEP || rgid == old.gid) && (egid == KEEP || egid == old.egid && egid == old.fsgid)
                && (sgid == KEEP || sgid == old.sgid)) {
            return 0;
        }
        boolean cap = old.hasCap(Capabilities.CAP_SETGID);
        if (!cap && (isNew(rgid, old.gid, old.egid, old.sgid) || isNew(egid, old.gid, old.egid, old.sgid)
                || isNew(sgid, old.gid, old.egid, old.sgid))) {
            throw new SyscallException(Errno.EPERM);
        }
        Credentials n = old.copy();
        if (rgid != KEEP) {
            n.gid = rgid;
        }
        if (egid != KEEP) {
            n.egid = egid;
        }
        if (sgid != KEEP) {
            n.sgid = sgid;
        }
        n.fsgid = n.egid;
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /**
     * setfsuid(2): always returns the previous fs uid; changes it only to one of the real, effective,
     * saved or current fs uids, or to anything with CAP_SETUID. No errors, by design.
     */
    static long setfsuid(Task t, SyscallArgs a) {
        int uid = (int) a.a0;
        Credentials old = creds(t);
        int prev = old.fsuid;
        if (uid != KEEP && (uid == old.uid || uid == old.euid || uid == old.suid || uid == old.fsuid
                || old.hasCap(Capabilities.CAP_SETUID)) && uid != old.fsuid) {
            Credentials n = old.copy();
            n.fsuid = uid;
            n.fixupAfterFsuidChange(prev);
            CredentialsCommit.commit(t, n);
        }
        return prev & 0xffffffffL;
    }

    /** setfsgid(2) */
    static long setfsgid(Task t, SyscallArgs a) {
        int gid = (int) a.a0;
        Credentials old = creds(t);
        int prev = old.fsgid;
        if (gid != KEEP && (gid == old.gid || gid == old.egid || gid == old.sgid || gid == old.fsgid
                || old.hasCap(Capabilities.CAP_SETGID)) && gid != old.fsgid) {
            Credentials n = old.copy();
            n.fsgid = gid;
            CredentialsCommit.commit(t, n);
        }
        return prev & 0xffffffffL;
    }

    /** getgroups(2): size 0 asks for the count; a smaller non-zero size is EINVAL. */
    static long getgroups(Task t, SyscallArgs a) {
        int size = (int) a.a0;
        if (size < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int[] g = creds(t).groups;
        if (size != 0) {
            if (g.length > size) {
                throw new SyscallException(Errno.EINVAL);
            }
            byte[] b = new byte[g.length * 4];
            for (int i = 0; i < g.length; i++) {
                int v = g[i];
                b[4 * i] = (byte) v;
                b[4 * i + 1] = (byte) (v >> 8);
                b[4 * i + 2] = (byte) (v >> 16);
                b[4 * i + 3] = (byte) (v >> 24);
            }
            t.mm().copyOut(a.a1, b, 0, b.length);
        }
        return g.length;
    }

    /** setgroups(2): needs CAP_SETGID; at most NGROUPS_MAX; stored sorted. */
    static long setgroups(Task t, SyscallArgs a) {
        Credentials old = creds(t);
        if (!old.hasCap(Capabilities.CAP_SETGID)) {
            throw new SyscallException(Errno.EPERM);
        }
        int size = (int) a.a0;
        if (size < 0 || size > NGROUPS_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
        int[] g = new int[size];
        if (size > 0) {
            byte[] b = new byte[size * 4];
            t.mm().copyIn(a.a1, b, 0, b.length);
            for (int i = 0; i < size; i++) {
                g[i] = (b[4 * i] & 0xff) | (b[4 * i + 1] & 0xff) << 8 | (b[4 * i + 2] & 0xff) << 16 | b[4 * i + 3] << 24;
                if (g[i] == KEEP) {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
        }
        Credentials n = old.copy();
        n.setGroups(g);
        CredentialsCommit.commit(t, n);
        return 0;
    }
}
