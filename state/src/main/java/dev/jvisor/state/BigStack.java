package dev.jvisor.state;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs graph serialization on a fresh thread with a 1 GiB stack. Kryo recurses once per level of
 * object nesting and a default 1 MiB stack overflows at about 1.5k levels. The stack is only
 * reserved address space: pages are committed as the recursion actually reaches them.
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
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(what + " failed", cause);
        }
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
