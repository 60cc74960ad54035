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
    public boolean exiting;
    public ExitStatus exitStatus;

    public ThreadGroup(int tgid) {
        this.tgid = tgid;
    }
}
