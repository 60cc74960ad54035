package dev.jvisor.cli;

import dev.jvisor.kernel.KernelRuntime;
import sun.misc.Signal;

/**
 * Passes signals that reach the jvisor process on to the sandbox, as runsc does: terminal signals
 * (Ctrl-C) to the sandbox's foreground process group, termination requests to its init.
 */
final class SignalForwarder {
    private SignalForwarder() {}

    /** SIGQUIT stays the JVM's (thread dumps). */
    private static final String[] TO_FOREGROUND = {"INT"};
    private static final String[] TO_INIT = {"TERM", "HUP", "USR1", "USR2"};

    static void install(KernelRuntime rt) {
        for (String name : TO_FOREGROUND) {
            Signal.handle(new Signal(name), s -> rt.signalForeground(s.getNumber()));
        }
        for (String name : TO_INIT) {
            Signal.handle(new Signal(name), s -> rt.signalInit(s.getNumber()));
        }
    }
}
