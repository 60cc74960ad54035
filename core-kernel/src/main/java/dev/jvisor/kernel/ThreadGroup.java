package dev.jvisor.kernel;

import java.util.List;

/** A process: the state its threads share (signal actions, limits, identity, what it executes). */
public final class ThreadGroup {
    public final int tgid;
    public final SignalActions signalActions = new SignalActions();
    public final Limits limits = new Limits();
    public final Credentials creds = new Credentials();
    /** The path of the executable, as /proc/self/exe shows it. */
    public String exePath;
    public List<String> argv;
    /**
     * What /proc/PID/cmdline, environ, auxv and stat show, recorded by the loader (Linux keeps them in
     * mm_struct): where the argument and environment strings lie on the initial stack, the initial
     * stack pointer, the auxiliary vector as (type, value) pairs, the command name (the executable's
     * file name, at most 15 bytes), and when the program started (sandbox monotonic ns).
     */
    public long argStart, argEnd, envStart, envEnd, startStack;
    public long[] auxv;
    public String comm;
    public long startTimeNs;
    public boolean exiting;
    public ExitStatus exitStatus;

    public ThreadGroup(int tgid) {
        this.tgid = tgid;
    }
}
