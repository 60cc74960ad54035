package dev.jvisor.gofer;

import static dev.jvisor.gofer.RawPeer.frame;
import static dev.jvisor.gofer.RawPeer.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that breaks the protocol gets error replies (the connection goes on) or, when the framing
 * itself is broken, a closed connection; the server thread always ends cleanly and no file changes.
 */
class MalformedFrameTest {
    @TempDir
    Path tmp;
    Path rw;
    Map<String, String> before;
    Thread server;
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    RawPeer peer;

    @BeforeEach
    void setUp() throws Exception {
        rw = Fixture.populate(tmp.resolve("rw"));
        before = Fixture.snapshot(rw);
        SocketPair pair = SocketPair.open(tmp);
        server = Fixture.startServer(pair, List.of(new Export("rw", rw, false)), uncaught);
        peer = new RawPeer(pair.client());
    }

    @AfterEach
    void tearDown() throws Exception {
        peer.close();
        Fixture.assertServerEndsCleanly(server, uncaught);
        assertEquals(before, Fixture.snapshot(rw), "no file changed");
    }

    private RawPeer.Reply ask(int type, int tag, byte[] payload) throws Exception {
        peer.send(frame(type, tag, payload));
        RawPeer.Reply r = peer.read(5000);
        assertEquals(tag, r.tag(), "reply carries the request's tag");
        return r;
    }

    private void assertError(int errno, RawPeer.Reply r) {
        assertEquals(Protocol.ERROR, r.type());
        assertEquals(Errno.name(errno), Errno.name(r.errno()));
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[3] = 0x7F; // a length far beyond the limit
        peer.send(junk);
        assertTrue(peer.closedWithin(5000));
    }

    @Test
    void hugeOrTinyLengthsCloseTheConnection() throws Exception {
        peer.handshake();
        peer.send(frame(0xFFFF_FFF0L, Protocol.STAT, 2, new byte[0]));
        assertTrue(peer.closedWithin(5000));
    }

    @Test
    void aLengthBelowTheHeaderClosesTheConnection() throws Exception {
        peer.send(frame(3, Protocol.VERSION_REQ, 1, new byte[0]));
        assertTrue(peer.closedWithin(5000));
    }

    @Test
    void bigFramesBeforeTheHandshakeCloseTheConnection() throws Exception {
        peer.send(frame(Protocol.MIN_FRAME + 100, Protocol.VERSION_REQ, 1, new byte[0]));
        assertTrue(peer.closedWithin(5000));
    }

    @Test
    void aFrameCutShortByEndOfStreamEndsTheServer() throws Exception {
        peer.handshake();
        ByteBuffer f = frame(Protocol.WALK, 9, le(1, "file.txt"));
        f.limit(f.limit() - 3);
        peer.send(f);
        peer.shutdownOutput();
        assertTrue(peer.closedWithin(5000));
    }

    @Test
    void requestsBeforeTheHandshakeAndBadVersionsAreRefused() throws Exception {
        assertError(Errno.EPROTO, ask(Protocol.ATTACH, 5, le("rw")));
        assertError(Errno.EPROTONOSUPPORT, ask(Protocol.VERSION_REQ, 6, le(99, Protocol.MAX_FRAME)));
        assertError(Errno.EINVAL, ask(Protocol.VERSION_REQ, 7, le(Protocol.VERSION, 100)));
        RawPeer.Reply ok = ask(Protocol.VERSION_REQ, 8, le(Protocol.VERSION, Integer.MAX_VALUE));
        assertEquals(Protocol.VERSION_REQ | Protocol.REPLY, ok.type());
        assertEquals(Protocol.MAX_FRAME, ok.payload().getInt(4), "the server caps the frame limit");
        assertError(Errno.EPROTO, ask(Protocol.VERSION_REQ, 9, le(Protocol.VERSION, Protocol.MAX_FRAME)));
    }

    @Test
    void badRequestsGetErrorRepliesAndTheConnectionGoesOn() throws Exception {
        peer.handshake();
        assertError(Errno.ENOSYS, ask(0x1234, 0xDEADBEEF, new byte[] {1, 2, 3}));
        assertError(Errno.ENOSYS, ask(0, 2, new byte[0]));
        assertError(Errno.ENOSYS, ask(Protocol.STAT | Protocol.REPLY, 3, le(1)));
        assertError(Errno.EINVAL, ask(Protocol.ATTACH, 4, new byte[] {5, 0, 'r'})); // string cut short
        assertError(Errno.EINVAL, ask(Protocol.ATTACH, 5, new byte[] {2, 0, (byte) 0xC3, (byte) 0x28})); // bad UTF-8
        RawPeer.Reply attach = ask(Protocol.ATTACH, 6, le("rw"));
        assertEquals(Protocol.ATTACH | Protocol.REPLY, attach.type());
        int root = attach.payload().getInt(0);
        assertError(Errno.EBADF, ask(Protocol.STAT, 7, le(12345)));
        assertError(Errno.EBADF, ask(Protocol.CLUNK, 8, le(-1)));
        assertError(Errno.EINVAL, ask(Protocol.STAT, 9, new byte[] {1, 0}));
        // Trailing bytes are refused before anything runs: this UNLINK must not delete.
        byte[] unlink = le(root, "file.txt", (byte) 0, 42);
        assertError(Errno.EINVAL, ask(Protocol.UNLINK, 10, unlink));
        assertError(Errno.EINVAL, ask(Protocol.UNLINK, 11, le(root, "file.txt", (byte) 7)));
        // A WRITE whose blob claims more bytes than the frame holds.
        assertError(Errno.EINVAL, ask(Protocol.WRITE, 12, le(root, 0L, 1000, 1, 2)));
        assertError(Errno.EINVAL, ask(Protocol.SETATTR, 13, le(root, SetAttr.ATIME, 0, 0, 0, 0L, 0L, 2_000_000_000, 0L, 0)));
        assertEquals(Protocol.STAT | Protocol.REPLY, ask(Protocol.STAT, 14, le(root)).type());
    }

    @Test
    void manyBadFramesInARowLeaveTheServerHealthy() throws Exception {
        peer.handshake();
        Random rnd = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[rnd.nextInt(40)];
            rnd.nextBytes(payload);
            int type = 1 + rnd.nextInt(Protocol.CLUNK);
            if (type == Protocol.VERSION_REQ) {
                continue;
            }
            // Random arguments name no fid (fids start at 1 and none exist): all must fail.
            assertEquals(Protocol.ERROR, ask(type, i, payload).type(), Protocol.typeName(type));
        }
        assertEquals(Protocol.ATTACH | Protocol.REPLY, ask(Protocol.ATTACH, 1000, le("rw")).type());
    }
}
