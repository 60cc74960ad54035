package dev.jvisor.kernel;

import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/**
 * The credential side of execve(2) (fs/exec.c bprm_fill_uid, security/commoncap.c
 * cap_bprm_creds_from_file, begin_new_exec), computed before the new image is built and committed
 * once it is: set-user-ID and set-group-ID files change the effective ids (not under no_new_privs);
 * root (real or effective) gets the bounding set plus its inheritable set as permitted capabilities,
 * effective if the effective uid is 0; others keep only their ambient set; SECURE_KEEP_CAPS is
 * cleared; the process stays dumpable unless it changed identity or cannot read the file.
 */
public final class ExecCredentials {
    /** Personality bits a set-ID exec clears (PER_CLEAR_ON_SETID). */
    private static final int PER_CLEAR_ON_SETID = 0x0400000 | 0x0040000 | 0x0200000 | 0x0100000;

    /** The new credentials (the process's own are unchanged until {@link #commit}). */
    public final Credentials creds;
    /** AT_SECURE: the exec changed identity or raised capabilities; libc then ignores LD_* variables. */
    public final boolean secure;
    private final boolean setId;
    private final boolean nonDumpable;

    private ExecCredentials(Credentials creds, boolean secure, boolean setId, boolean nonDumpable) {
        this.creds = creds;
        this.secure = secure;
        this.setId = setId;
        this.nonDumpable = nonDumpable;
    }

    /** What executing {@code file} would make of {@code t}'s credentials. */
    public static ExecCredentials compute(Task t, Inode file) {
        Credentials old = t.threadGroup().creds;
        Credentials n = old.copy();
        boolean noNewPrivs = t.settings.noNewPrivs;
        int mode = file.mode();
        if (!noNewPrivs) {
            if ((mode & FileMode.S_ISUID) != 0) {
                n.euid = file.uid();
            }
            if ((mode & (FileMode.S_ISGID | 0010)) == (FileMode.S_ISGID | 0010)) {
                n.egid = file.gid();
            }
        }
        // pP' = (root ? bset | pI : 0) | pA'; pE' = euid 0 ? pP' : pA'
        long permitted = 0;
        boolean effective = false;
        if (!old.secure(Credentials.SECURE_NOROOT)) {
            if (n.euid == 0 || n.uid == 0) {
                permitted = old.capBounding | old.capInheritable;
            }
            effective = n.euid == 0;
        }
        boolean gained = (permitted & ~old.capPermitted) != 0;
        boolean setId = n.euid != old.uid || n.egid != old.gid;
        if ((setId || gained) && noNewPrivs) {
            n.euid = n.uid;
            n.egid = n.gid;
            permitted &= old.capPermitted;
        }
        n.suid = n.fsuid = n.euid;
        n.sgid = n.fsgid = n.egid;
        if (setId) {
            n.capAmbient = 0;
        }
        n.capPermitted = permitted | n.capAmbient;
        n.capEffective = effective ? n.capPermitted : n.capAmbient;
        n.securebits &= ~(1 << Credentials.SECURE_KEEP_CAPS);
        boolean grew = (n.capPermitted & ~n.capAmbient) != 0;
        boolean secure = setId || n.uid != 0 && (effective || grew);
        boolean nonDumpable = !file.permits(old, 4);
        return new ExecCredentials(n, secure, setId, nonDumpable);
    }

    /**
     * Installs the credentials as begin_new_exec does: dumpable from the old ids (Linux checks
     * current's, before the commit), the parent-death signal cleared for a secure exec, then
     * commit_creds, which lowers dumpable again if the ids changed or the permitted set grew.
     */
    public void commit(Task t) {
        Credentials old = t.threadGroup().creds;
        t.threadGroup().settings.dumpable = nonDumpable || old.euid != old.uid || old.egid != old.gid
                ? ProcessSettings.SUID_DUMPABLE : ProcessSettings.SUID_DUMP_USER;
        if (secure) {
            t.pdeathSignal = 0;
        }
        CredentialsCommit.commit(t, creds);
        if (setId) {
            t.settings.personality &= ~PER_CLEAR_ON_SETID;
        }
        // exec names the thread after the new program (ThreadGroup.comm)
        t.settings.comm = null;
    }
}
