package dev.jvisor.gofer;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gofer process: {@code GoferMain --socket PATH --export name=/host/path[:ro] ...
 * [--accept-timeout SECONDS] [--exit-on-stdin-eof]}. Listens on the Unix socket PATH, accepts
 * exactly one connection, removes PATH, serves it until end of stream and exits 0. Exits 2 on a
 * bad command line or export, 3 if nobody connects in time, and, with --exit-on-stdin-eof, as
 * soon as its stdin closes (its parent died).
 */
public final class GoferMain {
    static final int EXIT_USAGE = 2;
    static final int EXIT_NO_CONNECTION = 3;
    private static final int DEFAULT_ACCEPT_TIMEOUT_SECONDS = 60;

    private GoferMain() {}

    public static void main(String[] args) {
        // Terminal signals are the app's (the Sentry forwards them): the server must outlive them.
        for (String name : new String[] {"INT", "QUIT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // Reserved by this JVM: its default stays.
            }
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jvisor-gofer: " + e.getMessage());
            System.err.println("usage: GoferMain --socket PATH --export name=/host/path[:ro] ... [--accept-timeout SECONDS] [--exit-on-stdin-eof]");
            System.exit(EXIT_USAGE);
            return;
        }
        if (o.exitOnStdinEof) {
            daemon("gofer-stdin-watch", GoferMain::exitOnStdinEof);
        }
        try {
            System.exit(serve(o));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("jvisor-gofer: " + e.getMessage());
            System.exit(EXIT_USAGE);
        }
    }

    private static int serve(Options o) throws IOException {
        // Checked before listening, so that a bad export makes us exit before anyone connects.
        Map<String, ExportRoot> exports = GoferServer.resolve(o.exports);
        SocketChannel conn;
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(o.socket));
            Thread watchdog = daemon("gofer-accept-timeout", () -> {
                try {
                    Thread.sleep(o.acceptTimeoutSeconds * 1000L);
                    System.err.println("jvisor-gofer: no connection on " + o.socket + " within " + o.acceptTimeoutSeconds + " s");
                    deleteQuietly(o.socket);
                    Runtime.getRuntime().halt(EXIT_NO_CONNECTION);
                } catch (InterruptedException connected) {
                    // Accepted in time.
                }
            });
            conn = listener.accept();
            watchdog.interrupt();
        } finally {
            // Nobody else may connect, and nothing must be left behind in the private directory.
            deleteQuietly(o.socket);
        }
        new GoferServer(conn, exports).run();
        return 0;
    }

    private static void exitOnStdinEof() {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // Only the end matters.
            }
        } catch (IOException ignored) {
            // Treated as the end.
        }
        Runtime.getRuntime().halt(0);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the directory is private and removed by our parent.
        }
    }

    /** The parsed command line. */
    record Options(Path socket, List<Export> exports, int acceptTimeoutSeconds, boolean exitOnStdinEof) {
        static Options parse(String[] args) {
            Path socket = null;
            List<Export> exports = new ArrayList<>();
            int timeout = DEFAULT_ACCEPT_TIMEOUT_SECONDS;
            boolean stdin = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--socket" -> socket = Path.of(value(args, ++i, "--socket"));
                    case "--export" -> exports.add(Export.parse(value(args, ++i, "--export")));
                    case "--accept-timeout" -> {
                        String v = value(args, ++i, "--accept-timeout");
                        try {
                            timeout = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            timeout = -1;
                        }
                        if (timeout <= 0) {
                            throw new IllegalArgumentException("--accept-timeout wants a positive number of seconds, got '" + v + "'");
                        }
                    }
                    case "--exit-on-stdin-eof" -> stdin = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (socket == null) {
                throw new IllegalArgumentException("--socket is required");
            }
            if (exports.isEmpty()) {
                throw new IllegalArgumentException("at least one --export is required");
            }
            return new Options(socket, exports, timeout, stdin);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
