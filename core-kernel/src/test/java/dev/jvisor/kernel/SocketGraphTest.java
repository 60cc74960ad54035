package dev.jvisor.kernel;

import static dev.jvisor.kernel.net.Sockets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.fs.tmpfs.MemSocket;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.net.IoVec;
import dev.jvisor.kernel.net.RecvMsg;
import dev.jvisor.kernel.net.SendMsg;
import dev.jvisor.kernel.net.SocketFile;
import dev.jvisor.kernel.net.UnixSocket;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MountNamespace;
import dev.jvisor.kernel.vfs.PathResolver;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network stack without a host side: unix, TCP and UDP sockets with data in flight, a listener with
 * a connection not yet accepted, a descriptor in flight and bound names go through a Kryo round trip
 * of the kernel graph and work afterwards; readiness and descriptor reference counts follow Linux.
 */
class SocketGraphTest {
    @TempDir
    Path dir;

    private MemoryFile mf;
    private Kernel k;
    private Task t;
    private long out;
    private long in;

    @BeforeEach
    void setUp() {
        mf = MemoryFile.create(1L << 30);
        k = new Kernel(mf, Map.of("vendor", "GenuineIntel"), "box");
        MemFs rootFs = new MemFs(k.allocateDev(), mf, "tmpfs", 0755);
        MemDir root = (MemDir) rootFs.root();
        root.addEntry("tmp", new MemDir(rootFs, rootFs.nextIno(), 01777, 0, 0));
        MountNamespace ns = new MountNamespace(rootFs, false, "rootfs");
        k.setMounts(ns);
        ThreadGroup tg = k.newThreadGroup(null);
        tg.exePath = "/bin/x";
        tg.argv = List.of("x");
        MemoryManager mm = new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L);
        long buf = mm.mmapAnonymous(0x30000000L, 1 << 20, 3, 0x22 | 0x10, "[heap]");
        out = buf;
        in = buf + (1 << 19);
        FdTable fds = new FdTable();
        fds.set(0, new HostStdioFile(0, 0), false);
        t = new Task(k, 1, tg, mm, fds);
        Location r = ns.rootLocation();
        t.setFsContext(new FsContext(r, r));
        k.addTask(t);
    }

    @AfterEach
    void tearDown() {
        mf.close();
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallException.class, r::run).errno;
    }

    private int install(FileDescription f) {
        return t.fds().install(f, 0, false, 1024);
    }

    private long send(Task task, SocketFile s, String data, byte[] control) {
        byte[] b = data.getBytes(StandardCharsets.ISO_8859_1);
        task.mm().copyOut(out, b, 0, b.length);
        return s.sendmsg(task, new SendMsg(IoVec.single(task, out, b.length), null, control, MSG_DONTWAIT));
    }

    private String recv(Task task, SocketFile s, int max) {
        RecvMsg m = new RecvMsg(IoVec.single(task, in, max), MSG_DONTWAIT, true, true);
        long n = s.recvmsg(task, m);
        dev.jvisor.kernel.net.Cmsg.discard(m);
        return new String(task.mm().read(in, (int) n), StandardCharsets.ISO_8859_1);
    }

    private static byte[] unixPath(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + p.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) AF_UNIX).put(p).put((byte) 0);
        return b.array();
    }

    private static byte[] inet(int port) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) AF_INET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(new byte[] {127, 0, 0, 1});
        return b.array();
    }

    private static int port(byte[] sockaddr) {
        return (sockaddr[2] & 0xff) << 8 | (sockaddr[3] & 0xff);
    }

    private static byte[] rights(int fd) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(20).putInt(SOL_SOCKET).putInt(SCM_RIGHTS).putInt(fd);
        return b.array();
    }

    @Test
    void socketsRoundTripWithDataInFlight() throws Exception {
        // unix stream pair with data both ways and a pipe's read end in flight
        UnixSocket[] pair = UnixSocket.pair(k.net(), t, SOCK_STREAM, 0);
        int a = install(pair[0]);
        int b = install(pair[1]);
        send(t, pair[0], "a->b", null);
        send(t, pair[1], "b->a", null);
        PipeFileDescription[] pipe = PipeFileDescription.newPipe(t, k.pipeFs(), 0);
        int pr = install(pipe[0]);
        int pw = install(pipe[1]);
        byte[] msg = "in the pipe".getBytes(StandardCharsets.US_ASCII);
        pipe[1].writeBytes(t, msg, 0, msg.length);
        send(t, pair[0], "fd", rights(pr));
        t.fds().close(pr);
        t.fds().close(pw);
        assertEquals(1, pipe[0].pipe().readers(), "the read end in flight stays open");
        // a unix listener on a path with a connection not accepted yet
        SocketFile ul = k.net().socket(t, AF_UNIX, SOCK_STREAM, 0);
        int ulFd = install(ul);
        ul.bind(t, unixPath("/tmp/l.sock"));
        ul.listen(t, 4);
        SocketFile uc = k.net().socket(t, AF_UNIX, SOCK_STREAM, 0);
        int ucFd = install(uc);
        uc.connect(t, unixPath("/tmp/l.sock"));
        send(t, uc, "early", null);
        // TCP: a connection with data both ways and one waiting to be accepted
        SocketFile tl = k.net().socket(t, AF_INET, SOCK_STREAM, 0);
        int tlFd = install(tl);
        tl.bind(t, inet(0));
        tl.listen(t, 4);
        int lport = port(tl.getsockname(t));
        SocketFile tc = k.net().socket(t, AF_INET, SOCK_STREAM, 0);
        int tcFd = install(tc);
        tc.setFlags(FileMode.O_RDWR | FileMode.O_NONBLOCK);
        assertEquals(Errno.EINPROGRESS, errno(() -> tc.connect(t, inet(lport))));
        tc.connect(t, inet(lport));
        SocketFile ts = tl.accept(t, true, 0);
        int tsFd = install(ts);
        send(t, tc, "tcp c->s", null);
        send(t, ts, "tcp s->c", null);
        SocketFile tq = k.net().socket(t, AF_INET, SOCK_STREAM, 0);
        int tqFd = install(tq);
        tq.connect(t, inet(lport));
        send(t, tq, "queued", null);
        // UDP with a datagram queued
        SocketFile u1 = k.net().socket(t, AF_INET, SOCK_DGRAM, 0);
        SocketFile u2 = k.net().socket(t, AF_INET, SOCK_DGRAM, 0);
        int u1Fd = install(u1);
        int u2Fd = install(u2);
        u1.bind(t, inet(0));
        u2.bind(t, inet(0));
        u1.connect(t, u2.getsockname(t));
        send(t, u1, "datagram", null);

        assertEquals(POLLIN | POLLOUT, pair[1].readiness(POLLIN | POLLOUT));
        assertEquals(POLLIN, ul.readiness(POLLIN | POLLOUT), "a listener with a connection is readable, never writable");
        assertEquals(POLLIN, tl.readiness(POLLIN | POLLOUT));
        assertEquals(POLLIN | POLLOUT, u2.readiness(POLLIN | POLLOUT));
        assertEquals(POLLOUT | POLLHUP, k.net().socket(t, AF_INET, SOCK_STREAM, 0).readiness(POLLOUT),
                "an unconnected TCP socket: writable and hung up, as Linux's tcp_poll says");

        Path file = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        back.memory().attach();
        try {
            Task bt = back.tasks().get(0);
            SocketFile ba = assertInstanceOf(SocketFile.class, bt.fds().get(a));
            SocketFile bb = assertInstanceOf(SocketFile.class, bt.fds().get(b));
            assertEquals("b->a", recv(bt, ba, 4));
            assertEquals("a->b", recv(bt, bb, 4));
            RecvMsg m = new RecvMsg(IoVec.single(bt, in, 16), MSG_DONTWAIT, false, true);
            assertEquals(2, bb.recvmsg(bt, m));
            assertNotNull(m.rights, "the descriptor in flight survives");
            PipeFileDescription passed = assertInstanceOf(PipeFileDescription.class, m.rights[0]);
            byte[] got = new byte[32];
            assertEquals(msg.length, passed.readBytes(bt, got, 0, 32));
            assertEquals("in the pipe", new String(got, 0, msg.length, StandardCharsets.US_ASCII));
            dev.jvisor.kernel.net.Cmsg.discard(m);

            SocketFile bul = assertInstanceOf(SocketFile.class, bt.fds().get(ulFd));
            SocketFile embryo = bul.accept(bt, true, 0);
            assertEquals("early", recv(bt, embryo, 16));
            Location sockFile = PathResolver.resolve(bt, bt.fsContext().root, "/tmp/l.sock", true);
            MemSocket node = assertInstanceOf(MemSocket.class, sockFile.inode());
            assertSame(bul, node.bound(), "the socket file still leads to the listener");
            SocketFile fresh = back.net().socket(bt, AF_UNIX, SOCK_STREAM, 0);
            fresh.connect(bt, unixPath("/tmp/l.sock"));
            assertEquals(5, send(bt, fresh, "fresh", null));
            assertEquals("fresh", recv(bt, bul.accept(bt, true, 0), 16));
            send(bt, embryo, "hi", null);
            assertEquals("hi", recv(bt, (SocketFile) bt.fds().get(ucFd), 4), "the accepted embryo talks to its client");

            SocketFile bts = (SocketFile) bt.fds().get(tsFd);
            SocketFile btc = (SocketFile) bt.fds().get(tcFd);
            assertEquals("tcp c->s", recv(bt, bts, 16));
            assertEquals("tcp s->c", recv(bt, btc, 16));
            SocketFile btl = (SocketFile) bt.fds().get(tlFd);
            assertEquals(lport, port(btl.getsockname(bt)));
            SocketFile queued = btl.accept(bt, true, 0);
            assertEquals("queued", recv(bt, queued, 16));
            send(bt, queued, "reply", null);
            assertEquals("reply", recv(bt, (SocketFile) bt.fds().get(tqFd), 16));
            SocketFile other = back.net().socket(bt, AF_INET, SOCK_STREAM, 0);
            assertEquals(Errno.EADDRINUSE, errno(() -> other.bind(bt, inet(lport))), "the port is still taken");
            other.connect(bt, inet(lport));
            assertNotNull(btl.accept(bt, true, 0), "the restored listener takes new connections");

            SocketFile bu2 = (SocketFile) bt.fds().get(u2Fd);
            assertEquals("datagram", recv(bt, bu2, 64));
            send(bt, (SocketFile) bt.fds().get(u1Fd), "again", null);
            assertEquals("again", recv(bt, bu2, 64));
        } finally {
            back.memory().close();
        }
    }

    @Test
    void passedDescriptorsStayOpenUntilTheLastReference() {
        UnixSocket[] pair = UnixSocket.pair(k.net(), t, SOCK_DGRAM, 0);
        install(pair[0]);
        install(pair[1]);
        PipeFileDescription[] pipe = PipeFileDescription.newPipe(t, k.pipeFs(), 0);
        int pr = install(pipe[0]);
        int pw = install(pipe[1]);
        send(t, pair[0], "w", rights(pw));
        t.fds().close(pw);
        assertEquals(1, pipe[0].pipe().writers(), "the write end is in flight, so still open");
        RecvMsg m = new RecvMsg(IoVec.single(t, in, 4), MSG_DONTWAIT, false, true);
        pair[1].recvmsg(t, m);
        int got = t.fds().install(m.rights[0], 0, false, 1024);
        dev.jvisor.kernel.net.Cmsg.discard(m);
        assertEquals(1, pipe[0].pipe().writers());
        t.fds().close(got);
        assertEquals(0, pipe[0].pipe().writers(), "closing the received descriptor closes the pipe end");
        // a message nobody reads: closing the receiver drops what it carried
        send(t, pair[0], "r", rights(pr));
        t.fds().close(pr);
        assertEquals(1, pipe[0].pipe().readers());
        pair[1].release();
        assertEquals(0, pipe[0].pipe().readers(), "discarded in flight, released");
    }

    @Test
    void readinessFollowsTheConnection() {
        UnixSocket[] pair = UnixSocket.pair(k.net(), t, SOCK_STREAM, 0);
        assertEquals(POLLOUT | POLLWRNORM, pair[0].readiness(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM));
        assertNotNull(pair[0].readinessQueue());
        send(t, pair[1], "x", null);
        assertEquals(POLLIN | POLLRDNORM, pair[0].readiness(POLLIN | POLLRDNORM));
        pair[1].shutdown(t, SHUT_WR);
        assertEquals(POLLIN | POLLRDHUP, pair[0].readiness(POLLIN | POLLRDHUP));
        pair[1].release();
        assertEquals(POLLHUP | POLLIN | POLLOUT, pair[0].readiness(POLLIN | POLLOUT),
                "the peer gone: hung up, readable (EOF), still writable (to fail with EPIPE)");

        SocketFile l = k.net().socket(t, AF_INET6, SOCK_STREAM, 0);
        l.bind(t, new byte[] {10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        l.listen(t, 1);
        assertEquals(0, l.readiness(POLLIN | POLLOUT));
        SocketFile c = k.net().socket(t, AF_INET6, SOCK_STREAM, 0);
        byte[] name = l.getsockname(t);
        c.connect(t, name);
        assertEquals(POLLIN, l.readiness(POLLIN | POLLOUT));
        SocketFile s = l.accept(t, true, 0);
        assertEquals(POLLOUT, s.readiness(POLLIN | POLLOUT));
        c.shutdown(t, SHUT_WR);
        assertEquals(POLLIN | POLLOUT | POLLRDHUP, s.readiness(POLLIN | POLLOUT | POLLRDHUP));
        c.release();
        assertEquals(POLLIN | POLLOUT, s.readiness(POLLIN | POLLOUT));
        SocketFile u = k.net().socket(t, AF_INET, SOCK_DGRAM, 0);
        assertEquals(POLLOUT, u.readiness(POLLIN | POLLOUT), "UDP is always writable");
    }
}
