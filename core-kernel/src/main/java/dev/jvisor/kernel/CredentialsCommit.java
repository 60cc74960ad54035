package dev.jvisor.kernel;

/**
 * Installs new credentials for a task's process as Linux's commit_creds does: a change of the
 * effective or fs ids, or a permitted set that is not a subset of the old one, makes the process
 * non-dumpable (fs.suid_dumpable) and clears the task's parent-death signal.
 */
public final class CredentialsCommit {
    private CredentialsCommit() {}

    public static void commit(Task t, Credentials n) {
        Credentials old = t.threadGroup().creds;
        if (old.euid != n.euid || old.egid != n.egid || old.fsuid != n.fsuid || old.fsgid != n.fsgid
                || (n.capPermitted & ~old.capPermitted) != 0) {
            t.threadGroup().settings.dumpable = ProcessSettings.SUID_DUMPABLE;
            t.pdeathSignal = 0;
        }
        old.assign(n);
    }
}
