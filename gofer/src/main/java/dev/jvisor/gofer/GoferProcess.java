package dev.jvisor.gofer;

import java.io.Closeable;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gofer child process and the client connected to it, as the Sentry starts one per sandbox. The
 * socket lives in a private (0700) temporary directory that is gone once the connection is made;
 * the child's stderr is ours, and the child exits when our end of its stdin closes, so it cannot
 * outlive this JVM.
 */
public final class GoferProcess implements Closeable {
    /** How long {@link #start} waits for the child to listen. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** sun_path holds 108 bytes, NUL included. */
    private static final int MAX_SOCKET_PATH = 100;
    /** util-linux's setsid(1): runs the gofer in a new session (it execs in place, keeping the pid). */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final GoferClient client;
    private final Path dir;

    private GoferProcess(Process process, GoferClient client, Path dir) {
        this.process = process;
        this.client = client;
        this.dir = dir;
    }

    /** Starts a gofer serving {@code exports} and connects to it, with default timeouts. */
    public static GoferProcess start(List<Export> exports) throws IOException {
        return start(exports, DEFAULT_START_TIMEOUT, GoferClient.DEFAULT_TIMEOUT);
    }

    /**
     * @param startTimeout how long to wait for the child to accept the connection
     * @param callTimeout deadline of each request on the returned client
     * @throws IOException if the child cannot be started, exits early (a bad export: its stderr
     *     says which) or does not listen in time
     */
    public static GoferProcess start(List<Export> exports, Duration startTimeout, Duration callTimeout) throws IOException {
        Path dir = privateDirectory();
        Path socket = dir.resolve("gofer.sock");
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(socket, exports))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            // Host file names are bytes; a UTF-8 locale makes the JDK map them to and from the
            // protocol's UTF-8 strings (sun.jnu.encoding follows the locale, not a -D flag).
            pb.environment().put("LC_ALL", "C.UTF-8");
            p = pb.start();
            SocketChannel ch = connect(p, socket, System.nanoTime() + startTimeout.toNanos());
            GoferClient client;
            try {
                client = new GoferClient(ch, callTimeout);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            cleanUp(dir, socket);
            return new GoferProcess(p, client, dir);
        } catch (IOException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            cleanUp(dir, socket);
            throw e;
        }
    }

    public GoferClient client() {
        return client;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The private directory the socket was made in; gone once connected. */
    Path socketDirectory() {
        return dir;
    }

    /** Closes the client, kills the gofer (SIGKILL) and waits briefly for it to go. */
    @Override
    public void close() {
        client.close();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The child is dead already.
        }
        cleanUp(dir, dir.resolve("gofer.sock"));
    }

    static List<String> command(Path socket, List<Export> exports) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: a Ctrl-C at the terminal reaches the whole foreground process
            // group, and the app, which may handle it, must keep its files (GoferMain also ignores it).
            cmd.add(SETSID.toString());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap and serial GC suit a process that mostly waits on I/O; dying on OOM turns
        // it into EIO in the Sentry instead of a wedged server. C1 alone: its Java work is small,
        // and its start overlaps the Sentry's (a restore waits for it), where C2 compiles
        // competed for the CPUs. No perf-data file in /tmp for a helper process.
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        String cds = System.getProperty("jvisor.cds");
        if (cds != null) {
            // The launcher's class-data archive covers this jar: the gofer starts faster with it too.
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + cds, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(GoferMain.class.getName());
        cmd.add("--socket");
        cmd.add(socket.toString());
        cmd.add("--exit-on-stdin-eof");
        for (Export e : exports) {
            cmd.add("--export");
            cmd.add(e.toArgument());
        }
        return cmd;
    }

    /**
     * The gofer needs only its own classes (the module has no dependencies), so its code source is
     * enough and also works from a shaded jar; the JVM's class path is the fallback.
     */
    private static String classPath() {
        CodeSource cs = GoferMain.class.getProtectionDomain().getCodeSource();
        if (cs != null && cs.getLocation() != null) {
            try {
                return Path.of(cs.getLocation().toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException ignored) {
                // Not a file: use the class path.
            }
        }
        return System.getProperty("java.class.path");
    }

    private static Path privateDirectory() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        if (base.toString().length() > MAX_SOCKET_PATH - 40) {
            base = Path.of("/tmp");
        }
        return Files.createTempDirectory(base, "jvisor-gofer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static SocketChannel connect(Process p, Path socket, long deadline) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("gofer exited with status " + p.exitValue() + " before accepting a connection (see its message above)");
            }
            if (Files.exists(socket)) {
                try {
                    return SocketChannel.open(address);
                } catch (IOException e) {
                    last = e; // bound but not yet listening
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the gofer to listen");
            }
        }
        throw new IOException("gofer did not listen on " + socket + " in time" + (last == null ? "" : ": " + last));
    }

    private static void cleanUp(Path dir, Path socket) {
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A leftover empty private directory is harmless.
        }
    }
}
