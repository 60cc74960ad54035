package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.oci.BundleException;
import java.util.List;
import sun.misc.Signal;

/**
 * Starting a created container from the command that created it, and relaying the signals a
 * foreground command receives (Ctrl-C, hang-up, kill) to the container as runsc does.
 */
final class ForegroundContainer {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private ForegroundContainer() {}

    /** The rest of a detached `run` or `restore ID`: starts the container, or deletes it if that fails. */
    static int startDetached(ContainerStore store, String id) throws InterruptedException {
        ContainerControl control = new ContainerControl(store);
        try {
            control.start(id);
        } catch (BundleException e) {
            control.delete(id, true);
            throw e;
        }
        return 0;
    }

    /** Passes this process's SIGINT, SIGTERM and SIGHUP on to the container's init, or to process {@code pid}. */
    static void forwardSignals(ContainerControl control, String id, Integer pid) {
        for (String name : FORWARDED) {
            try {
                Signal sig = new Signal(name);
                Signal.handle(sig, s -> {
                    try {
                        control.kill(id, s.getNumber(), false, pid);
                    } catch (BundleException e) {
                        // Already stopped: the wait in progress returns on its own.
                    }
                });
            } catch (IllegalArgumentException e) {
                // The JVM reserves this signal here; leave its default.
            }
        }
    }
}
