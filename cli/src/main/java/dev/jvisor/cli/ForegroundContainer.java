package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.oci.BundleException;
import java.util.List;
import sun.misc.Signal;

/**
 * The rest of `run` and `restore ID` after the container is created: start it and, unless detached,
 * wait for it, forwarding the signals the caller receives (Ctrl-C, hang-up, kill) to the container's
 * init as runsc does, then delete it and exit with its exit status.
 */
final class ForegroundContainer {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private ForegroundContainer() {}

    static int startAndWait(ContainerStore store, String id, boolean detach) throws InterruptedException {
        ContainerControl control = new ContainerControl(store);
        try {
            control.start(id);
        } catch (BundleException e) {
            control.delete(id, true);
            throw e;
        }
        if (detach) {
            return 0;
        }
        forwardSignals(control, id, null);
        int status = control.await(id);
        control.delete(id, true);
        return status;
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
