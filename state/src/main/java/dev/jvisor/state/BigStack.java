package dev.jvisor.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Runs graph serialization on a fresh thread with a 1 GiB stack. Kryo recurses for every level of
 * object nesting (some 700 bytes of stack per level), so a default 1 MiB stack overflows at about
 * 1.5k levels while 1 GiB holds over a million. The stack is only reserved address space: pages
 * are committed as the recursion actually reaches them.
 */
final class BigStack {
    static final long STACK_BYTES = 1L << 30;

    private BigStack() {}

    static <T> T call(Path file, String what, Callable<T> body) throws IOException {
        return call(file, what, STACK_BYTES, body);
    }

    static <T> T call(Path file, String what, long stackBytes, Callable<T> body)
            throws IOException {
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return body.call();
            } catch (Exception | StackOverflowError e) {
                // Kryo catches the overflow itself and rethrows it wrapped. Either way it is
                // handled on the thread that overflowed, which owns nothing else and is about to
                // end, so nothing shared is left half-updated.
                if (!causedByStackOverflow(e)) {
                    throw e;
                }
                throw new SnapshotException(file, what + " is nested too deeply even for a "
                        + (stackBytes >> 20) + " MiB stack; flatten deep linked structures");
            }
        });
        Thread thread = new Thread(null, task, "snapshot-graph", stackBytes);
        thread.setDaemon(true);
        thread.start();
        return Workers.await(task, what);
    }

    private static boolean causedByStackOverflow(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }
}
