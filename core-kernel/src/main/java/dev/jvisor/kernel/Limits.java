package dev.jvisor.kernel;

/**
 * Resource limits of a process (getrlimit/setrlimit/prlimit64), soft and hard, with Linux's defaults
 * for init. Values are unsigned 64-bit; {@link #INFINITY} is RLIM_INFINITY.
 */
public final class Limits {
    public static final int NLIMITS = 16;
    public static final long INFINITY = -1L;
    public static final int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
            RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10,
            RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15;
    /** fs.nr_open: the largest RLIMIT_NOFILE hard limit anyone may set. */
    public static final long NR_OPEN = 1L << 20;

    public final long[] soft = new long[NLIMITS];
    public final long[] hard = new long[NLIMITS];

    public Limits() {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        set(RLIMIT_STACK, 8L << 20, INFINITY);
        set(RLIMIT_CORE, 0, INFINITY);
        set(RLIMIT_NPROC, 4096, 4096);
        set(RLIMIT_NOFILE, 1024, 1048576);
        set(RLIMIT_MEMLOCK, 8L << 20, 8L << 20);
        set(RLIMIT_SIGPENDING, 4096, 4096);
        set(RLIMIT_MSGQUEUE, 819200, 819200);
        set(RLIMIT_NICE, 0, 0);
        set(RLIMIT_RTPRIO, 0, 0);
    }

    public Limits copy() {
        Limits c = new Limits();
        System.arraycopy(soft, 0, c.soft, 0, NLIMITS);
        System.arraycopy(hard, 0, c.hard, 0, NLIMITS);
        return c;
    }

    public void set(int resource, long s, long h) {
        soft[resource] = s;
        hard[resource] = h;
    }
}
