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

    public SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(handler, 0, c.handler, 0, handler.length);
        System.arraycopy(flags, 0, c.flags, 0, flags.length);
        System.arraycopy(restorer, 0, c.restorer, 0, restorer.length);
        System.arraycopy(mask, 0, c.mask, 0, mask.length);
        return c;
    }

    /** execve(2): caught signals go back to their default action; ignored ones stay ignored. */
    void resetForExec() {
        for (int sig = 1; sig < handler.length; sig++) {
            if (handler[sig] != SIG_IGN) {
                handler[sig] = SIG_DFL;
                flags[sig] = 0;
                restorer[sig] = 0;
                mask[sig] = 0;
            }
        }
    }

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
