package dev.jvisor.kernel;

import java.util.Arrays;

/**
 * User and group identity of a process and its capability sets, as Linux's struct cred: real,
 * effective, saved and file-system ids, supplementary groups (kept sorted, as Linux keeps them),
 * the five capability sets and the securebits. The sandbox's init is root with every capability by
 * default, as in a container. Permission checks use the file-system ids and the effective set.
 */
public final class Credentials {
    /** Securebits (include/uapi/linux/securebits.h). */
    public static final int SECURE_NOROOT = 0, SECURE_NO_SETUID_FIXUP = 2, SECURE_KEEP_CAPS = 4,
            SECURE_KEEP_CAPS_LOCKED = 5, SECURE_NO_CAP_AMBIENT_RAISE = 6;
    /** The settable securebits and their lock bits. */
    public static final int SECURE_ALL_BITS = 0x55, SECURE_ALL_LOCKS = 0xaa;
    private static final int[] NO_GROUPS = {};

    public int uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
    /** Supplementary groups, sorted ascending (duplicates kept, as setgroups(2) stores them). */
    public int[] groups = NO_GROUPS; // never changed in place: copies may share it
    public long capEffective = Capabilities.ALL, capPermitted = Capabilities.ALL, capInheritable,
            capBounding = Capabilities.ALL, capAmbient;
    public int securebits;

    /** A copy (fork, and the new credentials a set*id call builds before it commits them). */
    public Credentials copy() {
        Credentials c = new Credentials();
        c.assign(this);
        return c;
    }

    /** Makes this a copy of {@code o} (the object stays: tasks and files hold it). */
    public void assign(Credentials o) {
        uid = o.uid;
        euid = o.euid;
        suid = o.suid;
        fsuid = o.fsuid;
        gid = o.gid;
        egid = o.egid;
        sgid = o.sgid;
        fsgid = o.fsgid;
        groups = o.groups;
        capEffective = o.capEffective;
        capPermitted = o.capPermitted;
        capInheritable = o.capInheritable;
        capBounding = o.capBounding;
        capAmbient = o.capAmbient;
        securebits = o.securebits;
    }

    /** Sets every uid (real, effective, saved, fs) at once, as a container runtime does for init. */
    public void setAllUids(int id) {
        uid = euid = suid = fsuid = id;
    }

    public void setAllGids(int id) {
        gid = egid = sgid = fsgid = id;
    }

    /** Stores supplementary groups (sorted, as Linux's groups_sort). */
    public void setGroups(int[] g) {
        int[] s = g.clone();
        Arrays.sort(s, 0, s.length);
        // gids are unsigned: sort so that 0x80000000.. come after 0x7fffffff, as Linux compares kgid_t
        int neg = 0;
        while (neg < s.length && s[neg] < 0) {
            neg++;
        }
        int[] u = new int[s.length];
        System.arraycopy(s, neg, u, 0, s.length - neg);
        System.arraycopy(s, 0, u, s.length - neg, neg);
        groups = u;
    }

    /** Whether capability {@code cap} is in the effective set (Linux's capable()). */
    public boolean hasCap(int cap) {
        return (capEffective & Capabilities.bit(cap)) != 0;
    }

    public boolean secure(int bit) {
        return (securebits & (1 << bit)) != 0;
    }

    /** in_group_p: the fs gid or one of the supplementary groups. */
    public boolean inGroup(int g) {
        if (g == fsgid) {
            return true;
        }
        for (int x : groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /** in_egroup_p: the effective gid or one of the supplementary groups. */
    public boolean inEffectiveGroup(int g) {
        if (g == egid) {
            return true;
        }
        for (int x : groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /**
     * Follows a change of real/effective/saved uids with the capability changes Linux makes
     * (security/commoncap.c cap_emulate_setxuid), unless SECURE_NO_SETUID_FIXUP: leaving uid 0 in all
     * three drops the permitted and effective sets (kept with SECURE_KEEP_CAPS) and the ambient set;
     * an effective uid leaving 0 clears the effective set; one returning to 0 restores it.
     */
    public void fixupAfterUidChange(Credentials old) {
        if (old.secure(SECURE_NO_SETUID_FIXUP)) {
            return;
        }
        boolean wasRoot = old.uid == 0 || old.euid == 0 || old.suid == 0;
        boolean isRoot = uid == 0 || euid == 0 || suid == 0;
        if (wasRoot && !isRoot) {
            if (!old.secure(SECURE_KEEP_CAPS)) {
                capPermitted = 0;
                capEffective = 0;
            }
            capAmbient = 0;
        }
        if (old.euid == 0 && euid != 0) {
            capEffective = 0;
        }
        if (old.euid != 0 && euid == 0) {
            capEffective = capPermitted;
        }
    }

    /** The capability side of setfsuid(2): the file-system capabilities follow fsuid 0. */
    public void fixupAfterFsuidChange(int oldFsuid) {
        if (secure(SECURE_NO_SETUID_FIXUP)) {
            return;
        }
        if (oldFsuid == 0 && fsuid != 0) {
            capEffective &= ~Capabilities.FS_SET;
        }
        if (oldFsuid != 0 && fsuid == 0) {
            capEffective |= capPermitted & Capabilities.FS_SET;
        }
    }

    /**
     * The credentials access(2) checks with: the real uid and gid in place of the fs ones, and root's
     * capabilities only for a real uid of 0 (fs/open.c access_override_creds).
     */
    public Credentials forAccessCheck() {
        Credentials c = copy();
        c.fsuid = uid;
        c.fsgid = gid;
        if (!secure(SECURE_NO_SETUID_FIXUP)) {
            c.capEffective = uid != 0 ? 0 : capPermitted;
        }
        return c;
    }
}
