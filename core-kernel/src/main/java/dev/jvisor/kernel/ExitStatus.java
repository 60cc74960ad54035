package dev.jvisor.kernel;

/** How a process ended: an exit code or a terminating signal. A plain class so snapshots can hold it. */
public final class ExitStatus {
    private final int code;
    private final int signal;

    private ExitStatus(int code, int signal) {
        this.code = code;
        this.signal = signal;
    }

    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xff, 0);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    public int code() {
        return code;
    }

    public int signal() {
        return signal;
    }

    /** The exit code a shell reports: the code, or 128 + the signal. */
    public int shellCode() {
        return signal != 0 ? 128 + signal : code;
    }

    /** The wait(2) status word. */
    public int waitStatus() {
        return signal != 0 ? signal : (code & 0xff) << 8;
    }
}
