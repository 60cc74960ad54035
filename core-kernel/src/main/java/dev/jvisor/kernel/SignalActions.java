package dev.jvisor.kernel;

/**
 * A process's signal dispositions (rt_sigaction), one slot per signal 1..64, as the struct
 * kernel_sigaction fields: handler, flags, restorer, mask.
 */
public final class SignalActions {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public final long[] handler = new long[65];
    public final long[] flags = new long[65];
    public final long[] restorer = new long[65];
    public final long[] mask = new long[65];

    /** What a signal does when its disposition is SIG_DFL. */
    public enum Default { TERMINATE, CORE, IGNORE, STOP, CONTINUE }

    public static Default defaultAction(int sig) {
        return switch (sig) {
            case 3, 4, 5, 6, 7, 8, 11, 24, 25, 31 -> Default.CORE;
            case 17, 23, 28 -> Default.IGNORE;
            case 19, 20, 21, 22 -> Default.STOP;
            case 18 -> Default.CONTINUE;
            default -> Default.TERMINATE;
        };
    }
}
