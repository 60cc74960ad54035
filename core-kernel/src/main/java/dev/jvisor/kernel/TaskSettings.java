package dev.jvisor.kernel;

/**
 * What Linux keeps per thread and a thread sets for itself with prctl(2), setpriority(2),
 * sched_setscheduler(2), sched_setaffinity(2) and personality(2): its name, nice value, scheduling
 * policy, CPU mask, timer slack, no_new_privs and personality (the parent-death signal is
 * {@code Task.pdeathSignal}). A new thread or
 * process starts with a copy of its creator's ({@link #forChild}).
 */
public final class TaskSettings {
    public static final int SCHED_NORMAL = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5,
            SCHED_DEADLINE = 6;
    /** Linux's default timer slack for a normal task, in nanoseconds. */
    public static final long DEFAULT_TIMER_SLACK_NS = 50_000;

    /** The thread's name (TASK_COMM_LEN - 1 bytes at most); null: the process's {@code ThreadGroup.comm}. */
    public String comm;
    /** Nice value, -20..19. */
    public int nice;
    public int policy = SCHED_NORMAL;
    /** sched_param.sched_priority: 1..99 for SCHED_FIFO and SCHED_RR, else 0. */
    public int rtPriority;
    public boolean resetOnFork;
    /**
     * CPUs the thread may run on, one bit per CPU; null means every CPU of the sandbox. Kept as the
     * app set it and intersected with the sandbox's CPUs when read, so a restore on a host with
     * fewer CPUs still shows a valid mask.
     */
    public long[] cpuMask;
    public long timerSlackNs = DEFAULT_TIMER_SLACK_NS;
    public long defaultTimerSlackNs = DEFAULT_TIMER_SLACK_NS;
    public boolean noNewPrivs;
    public int personality;
    /** prctl(PR_SET_THP_DISABLE), recorded. */
    public boolean thpDisable;

    /** A thread's name: its own once set (prctl PR_SET_NAME), else its process's. */
    public static String commOf(Task t) {
        String c = t.settings.comm;
        if (c != null) {
            return c;
        }
        return t.threadGroup().comm != null ? t.threadGroup().comm : "";
    }

    /**
     * The settings of a thread or process this one creates (clone/fork): a copy, except that a
     * SCHED_RESET_ON_FORK thread's child
     * goes back to SCHED_NORMAL with nice 0 or more, and the child's default timer slack is its
     * creator's current slack (kernel/fork.c copy_process, sched_fork).
     */
    public TaskSettings forChild(String creatorComm) {
        TaskSettings c = new TaskSettings();
        c.comm = creatorComm;
        c.nice = nice;
        c.policy = policy;
        c.rtPriority = rtPriority;
        c.resetOnFork = resetOnFork;
        c.cpuMask = cpuMask == null ? null : cpuMask.clone();
        c.timerSlackNs = timerSlackNs;
        c.defaultTimerSlackNs = timerSlackNs;
                c.noNewPrivs = noNewPrivs;
        c.personality = personality;
        c.thpDisable = thpDisable;
        if (resetOnFork) {
            if (policy == SCHED_FIFO || policy == SCHED_RR) {
                c.policy = SCHED_NORMAL;
                c.rtPriority = 0;
            }
            c.nice = Math.max(0, nice);
            c.resetOnFork = false;
        }
        return c;
    }
}
