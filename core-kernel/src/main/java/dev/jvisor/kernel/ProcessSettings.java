package dev.jvisor.kernel;

/**
 * What Linux keeps per process (mm_struct, signal_struct) for prctl(2) and getrusage(2) beyond what
 * {@link ThreadGroup} holds: whether it may dump core (lowered by credential changes, reset by
 * exec) and its resident-size high-water marks.
 */
public final class ProcessSettings {
    public static final int SUID_DUMP_DISABLE = 0, SUID_DUMP_USER = 1;
    /** fs.suid_dumpable: what dumpable becomes after a credential change (Linux's default, 0). */
    public static final int SUID_DUMPABLE = SUID_DUMP_DISABLE;

    /** prctl(PR_SET_DUMPABLE); lowered by credential changes as Linux does. */
    public int dumpable = SUID_DUMP_USER;
    /** The highest resident size seen (kB): ru_maxrss. */
    public long maxRssKb;
    /** The largest ru_maxrss of the waited-for children and their descendants (RUSAGE_CHILDREN). */
    public long childMaxRssKb;

    /** A new process's settings (fork): the same dumpable mode, fresh high-water marks. */
    public ProcessSettings forChild() {
        ProcessSettings c = new ProcessSettings();
        c.dumpable = dumpable;
        return c;
    }

    /** Records a reaped child's high-water marks (the wait code calls this). */
    public void addReapedChild(ProcessSettings child) {
        childMaxRssKb = Math.max(childMaxRssKb, Math.max(child.maxRssKb, child.childMaxRssKb));
    }
}
