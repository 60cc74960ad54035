package dev.jvisor.gofer;

import static dev.jvisor.gofer.RawPeer.frame;
import static dev.jvisor.gofer.RawPeer.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against a fake gofer that dies, hangs or sends garbage: calls fail with EIO promptly,
 * and every later call too. Also: many threads sharing one client against the real server.
 */
class ClientFailureTest {
    @TempDir
    Path tmp;
    SocketPair pair;
    RawPeer fake;
    ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        pair = SocketPair.open(tmp);
        fake = new RawPeer(pair.server());
    }

    @AfterEach
    void tearDown() throws Exception {
        fake.close();
        pool.shutdownNow();
    }

    /** A client whose handshake the fake answers properly; {@code timeout} per call. */
    private GoferClient connected(Duration timeout) throws Exception {
        Future<GoferClient> f = pool.submit(() -> new GoferClient(pair.client(), timeout));
        RawPeer.Reply hello = fake.read(5000);
        assertEquals(Protocol.VERSION_REQ, hello.type());
        fake.send(frame(Protocol.VERSION_REQ | Protocol.REPLY, hello.tag(), le(Protocol.VERSION, Protocol.MAX_FRAME)));
        return f.get(5, TimeUnit.SECONDS);
    }

    /** Starts {@code call} on a pool thread and answers its request with {@code reply(tag)}. */
    private GoferException failingCall(GoferClient c, java.util.function.IntFunction<ByteBuffer> reply) throws Exception {
        Future<Attr> f = pool.submit(() -> c.stat(1));
        RawPeer.Reply req = fake.read(5000);
        assertEquals(Protocol.STAT, req.type());
        fake.send(reply.apply(req.tag()));
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(5, TimeUnit.SECONDS));
        return (GoferException) e.getCause();
    }

    private static void assertEio(GoferException e) {
        assertEquals(Errno.EIO, e.errno(), e.getMessage());
    }

    @Test
    void aGoferThatClosesAtOnceFailsTheHandshake() throws Exception {
        fake.close();
        GoferException e = assertThrows(GoferException.class, () -> new GoferClient(pair.client(), Duration.ofSeconds(5)));
        assertEio(e);
    }

    @Test
    void aWrongVersionIsRefused() throws Exception {
        Future<GoferClient> f = pool.submit(() -> new GoferClient(pair.client(), Duration.ofSeconds(5)));
        RawPeer.Reply hello = fake.read(5000);
        fake.send(frame(Protocol.ERROR, hello.tag(), le(Errno.EPROTONOSUPPORT, "no")));
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEquals(Errno.EPROTONOSUPPORT, ((GoferException) e.getCause()).errno());
    }

    @Test
    void aReplyWithTheWrongTagBreaksTheConnection() throws Exception {
        GoferClient c = connected(Duration.ofSeconds(5));
        GoferException e = failingCall(c, tag -> frame(Protocol.STAT | Protocol.REPLY, tag + 1, new byte[Attr.WIRE_SIZE]));
        assertEio(e);
        assertTrue(e.getMessage().contains("tag"), e.getMessage());
        assertFalse(c.isConnected());
        assertEio(assertThrows(GoferException.class, () -> c.stat(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge length", "short payload", "wrong type", "trailing bytes", "errno zero"})
    void garbageRepliesBreakTheConnection(String kind) throws Exception {
        GoferClient c = connected(Duration.ofSeconds(5));
        assertEio(failingCall(c, tag -> switch (kind) {
            case "huge length" -> frame(0x7FFF_FFFFL, Protocol.STAT | Protocol.REPLY, tag, new byte[0]);
            case "short payload" -> frame(Protocol.STAT | Protocol.REPLY, tag, new byte[10]);
            case "wrong type" -> frame(Protocol.WALK | Protocol.REPLY, tag, new byte[Attr.WIRE_SIZE]);
            case "trailing bytes" -> frame(Protocol.STAT | Protocol.REPLY, tag, new byte[Attr.WIRE_SIZE + 1]);
            default -> frame(Protocol.ERROR, tag, le(0, "errno zero"));
        }));
        assertFalse(c.isConnected());
    }

    @Test
    void errorRepliesCarryTheErrno() throws Exception {
        GoferClient c = connected(Duration.ofSeconds(5));
        GoferException e = failingCall(c, tag -> frame(Protocol.ERROR, tag, le(Errno.ENOENT, "stat: gone")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(c.isConnected());
    }

    @Test
    void aGoferThatDiesMidCallGivesEio() throws Exception {
        GoferClient c = connected(Duration.ofSeconds(30));
        Future<Attr> f = pool.submit(() -> c.stat(1));
        fake.read(5000);
        long start = System.nanoTime();
        fake.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEio((GoferException) e.getCause());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "EOF noticed at once, not at the timeout");
    }

    @Test
    void aSilentGoferTimesOut() throws Exception {
        GoferClient c = connected(Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            GoferException e = assertThrows(GoferException.class, () -> c.stat(1));
            assertEio(e);
            assertTrue(e.getMessage().contains("within"), e.getMessage());
        });
        assertFalse(c.isConnected());
    }

    @Test
    void anInterruptDoesNotAbandonTheRoundTrip() throws Exception {
        GoferClient c = connected(Duration.ofSeconds(5));
        Future<Boolean> f = pool.submit(() -> {
            Thread.currentThread().interrupt();
            c.stat(1);
            return Thread.interrupted();
        });
        RawPeer.Reply req = fake.read(5000);
        Thread.sleep(50);
        fake.send(frame(Protocol.STAT | Protocol.REPLY, req.tag(), new byte[Attr.WIRE_SIZE]));
        assertTrue(f.get(5, TimeUnit.SECONDS), "interrupt status restored");
        assertTrue(c.isConnected());
    }

    @Test
    void closeFailsLaterCalls() throws Exception {
        GoferClient c = connected(Duration.ofSeconds(5));
        c.close();
        assertEio(assertThrows(GoferException.class, () -> c.attach("x")));
    }

    @Test
    void manyThreadsShareOneClient() throws Exception {
        Path rw = Fixture.populate(tmp.resolve("rw"));
        SocketPair real = SocketPair.open(tmp);
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread server = Fixture.startServer(real, List.of(new Export("rw", rw, false)), uncaught);
        GoferClient c = new GoferClient(real.client(), Duration.ofSeconds(10));
        int root = c.attach("rw").fid();
        List<Future<Void>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            results.add(pool.submit(() -> {
                FidAttr f = c.create(root, "t" + id, OpenFlags.O_RDWR, 0644);
                for (int i = 0; i < 100; i++) {
                    byte[] b = ("thread " + id + " write " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    c.write(f.fid(), 0, b);
                    assertEquals(new String(b, java.nio.charset.StandardCharsets.UTF_8),
                            new String(c.read(f.fid(), 0, b.length), java.nio.charset.StandardCharsets.UTF_8));
                    assertEquals(Fixture.HELLO.length(), c.stat(c.walk(root, "file.txt").fid()).size());
                }
                return null;
            }));
        }
        for (Future<Void> r : results) {
            r.get(20, TimeUnit.SECONDS);
        }
        c.close();
        Fixture.assertServerEndsCleanly(server, uncaught);
    }
}
