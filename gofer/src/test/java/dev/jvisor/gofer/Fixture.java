package dev.jvisor.gofer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A host tree exported read-write ("rw") and a copy exported read-only ("ro"), with a sibling
 * "outside" directory no fid may reach, served by an in-JVM GoferServer over a socket pair.
 *
 * <pre>
 * base/outside/secret.txt
 * base/{rw,ro}/file.txt           "hello, gofer\n"
 *             /sub/inner.txt       "inner"
 *             /sub/deeper/         (empty directory)
 *             /empty/              (empty directory)
 *             /passwd_link  -> /etc/passwd
 *             /escape_link  -> ../outside
 *             /dangling     -> does-not-exist
 *             /fifo          (if mkfifo works)
 * </pre>
 */
final class Fixture implements AutoCloseable {
    static final String HELLO = "hello, gofer\n";

    final Path base;
    final Path rw;
    final Path ro;
    final Path outside;
    final boolean hasFifo;
    final SocketPair pair;
    final Thread serverThread;
    final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    final GoferClient client;
    final int rwRoot;
    final int roRoot;

    Fixture(Path base) throws IOException {
        this.base = base;
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        rw = populate(base.resolve("rw"));
        ro = populate(base.resolve("ro"));
        hasFifo = Files.exists(rw.resolve("fifo"), LinkOption.NOFOLLOW_LINKS);
        pair = SocketPair.open(base);
        serverThread = startServer(pair, List.of(new Export("rw", rw, false), new Export("ro", ro, true)), uncaught);
        client = new GoferClient(pair.client(), Duration.ofSeconds(10));
        rwRoot = client.attach("rw").fid();
        roRoot = client.attach("ro").fid();
    }

    static Thread startServer(SocketPair pair, List<Export> exports, List<Throwable> uncaught) throws IOException {
        GoferServer server = new GoferServer(pair.server(), exports);
        Thread t = new Thread(server, "gofer-server-test");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> uncaught.add(e));
        t.start();
        return t;
    }

    static Path populate(Path root) throws IOException {
        Files.createDirectory(root);
        Files.writeString(root.resolve("file.txt"), HELLO);
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/inner.txt"), "inner");
        Files.createDirectory(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("passwd_link"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("escape_link"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("does-not-exist"));
        try {
            Process p = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            // No mkfifo: the fifo cases are skipped.
        }
        return root;
    }

    /** Walks {@code path} ("a/b/c") from {@code root} one component at a time. */
    int walk(int root, String path) throws GoferException {
        int fid = root;
        for (String c : path.split("/")) {
            fid = client.walk(fid, c).fid();
        }
        return fid;
    }

    /** Every path below {@code root} with its type and, for files and symlinks, its content or text. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(key, "link:" + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(key, "file:" + new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
                            + ":" + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)));
                } else {
                    m.put(key, "other:" + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)));
                }
            }
        }
        return m;
    }

    static void assertErrno(int errno, org.junit.jupiter.api.function.Executable call) {
        GoferException e = assertThrows(GoferException.class, call);
        assertEquals(Errno.name(errno), Errno.name(e.errno()), e.getMessage());
    }

    /** Asserts the server thread ends soon, without an exception escaping it. */
    static void assertServerEndsCleanly(Thread t, List<Throwable> uncaught) throws InterruptedException {
        t.join(5000);
        assertFalse(t.isAlive(), "server thread still running");
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    List<String> names(List<DirEntry> entries) {
        List<String> n = new ArrayList<>();
        entries.forEach(e -> n.add(e.name()));
        return n;
    }

    @Override
    public void close() throws Exception {
        client.close();
        assertServerEndsCleanly(serverThread, uncaught);
    }
}
