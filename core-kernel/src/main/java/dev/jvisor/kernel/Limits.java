package dev.jvisor.kernel;

/** Resource limits (getrlimit/setrlimit/prlimit64), with Linux's defaults. */
public final class Limits {
    public static final int NLIMITS = 16;
    public static final long INFINITY = -1L;
    public static final int RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIMIT_NPROC = 6;

    public final long[] soft = new long[NLIMITS];
    public final long[] hard = new long[NLIMITS];

    public Limits() {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        set(RLIMIT_STACK, 8L << 20, INFINITY);
        set(4 /* CORE */, 0, INFINITY);
        set(RLIMIT_NPROC, 4096, 4096);
        set(RLIMIT_NOFILE, 1024, 1048576);
        set(8 /* MEMLOCK */, 8L << 20, 8L << 20);
        set(11 /* SIGPENDING */, 4096, 4096);
        set(12 /* MSGQUEUE */, 819200, 819200);
        set(13 /* NICE */, 0, 0);
        set(14 /* RTPRIO */, 0, 0);
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
