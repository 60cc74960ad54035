package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sockets in the sandbox (AF_UNIX, loopback TCP and UDP over IPv4 and IPv6, all in Sentry memory):
 * the unixsock, tcploop and udploop samples print the same as natively on every platform, a python3
 * program using socketpair and a loopback TCP listener and client behaves as natively, connections
 * with data in flight survive a checkpoint, and a call blocked on a socket lets a checkpoint through
 * and restarts after the restore.
 */
class SocketsTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");


    @ParameterizedTest(name = "[{0}] unixsock")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void unixSample(String platform) {
        Path dir = Jvisor.scratch("unixsock");
        Run r = Expect.compare(Jvisor.sample(platform, "unixsock", dir.toString()), Native.sample("unixsock", dir.toString()));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("readlink is socket:[ino] 1\n"), r::describe);
        assertTrue(r.stdout().contains("recvmsg: 3 bytes fds, fds 2 (cloexec 0), CTRUNC 0, controllen 24\n"), r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
        Jvisor.deleteTree(dir);
    }

    /** A write to a socket whose peer is gone raises SIGPIPE, which kills the program by default. */
    @ParameterizedTest(name = "[{0}] SIGPIPE")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sigpipe(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "unixsock", "/tmp", "sigpipe"), Native.sample("unixsock", "/tmp", "sigpipe"));
        assertEquals(128 + 13, r.exitCode, r::describe);
    }

    @ParameterizedTest(name = "[{0}] tcploop")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void tcpSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "tcploop"), Native.sample("tcploop"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("nonblocking connect pending: EINPROGRESS\n"), r::describe);
        assertTrue(r.stdout().contains("flags 0x49\n"), r::describe);
        assertTrue(r.stdout().contains("refused 0x1c SO_ERROR ECONNREFUSED\n"), r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] udploop")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void udpSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "udploop"), Native.sample("udploop"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("recv reports it: -1 ECONNREFUSED\n"), r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    private static final String PY_SOCKETS = String.join("\n",
            "import socket, os",
            "a, b = socket.socketpair()",
            "a.sendall(b'ping')",
            "print(b.recv(10), a.family, a.type, b.getsockname())",
            "b.sendall(b'pong' * 1000)",
            "got = b''",
            "while len(got) < 4000:",
            "    got += a.recv(65536)",
            "print(len(got))",
            "a.setblocking(False)",
            "try:",
            "    a.recv(1)",
            "except BlockingIOError:",
            "    print('EAGAIN')",
            "b.shutdown(socket.SHUT_WR)",
            "a.setblocking(True)",
            "print(a.recv(1))",
            "r, w = os.pipe()",
            "os.write(w, b'via SCM_RIGHTS')",
            "socket.send_fds(a, [b'fd'], [r])",
            "msg, fds, flags, addr = socket.recv_fds(b, 10, 4)",
            "print(msg, len(fds), os.read(fds[0], 100))",
            "srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "srv.bind(('127.0.0.1', 0))",
            "srv.listen()",
            "host, port = srv.getsockname()",
            "print(host, 32768 <= port <= 60999)",
            "cli = socket.create_connection((host, port))",
            "conn, peer = srv.accept()",
            "print(peer[0], peer[1] == cli.getsockname()[1])",
            "cli.sendall(b'hello over tcp')",
            "print(conn.recv(100))",
            "conn.sendall(b'x' * 200000)",
            "n = 0",
            "while n < 200000:",
            "    n += len(cli.recv(65536))",
            "print(n)",
            "cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
            "print(cli.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))",
            "f = cli.makefile('rwb')",
            "conn.sendall(b'line one\\nline two\\n')",
            "print(f.readline(), f.readline())",
            "conn.close()",
            "print(cli.recv(10))",
            "u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
            "u.bind(('::1', 0))",
            "v = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
            "v.sendto(b'datagram', u.getsockname())",
            "data, src = u.recvfrom(100)",
            "print(data, src[0])",
            "print(socket.if_nametoindex('lo'), socket.if_indextoname(1))",
            "s1, s2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s1.send(b'a'); s1.send(b'bb')",
            "print(s2.recv(10), s2.recv(10))");

    /** A real program: python3's socket module over socketpair and a loopback TCP listener and client. */
    @Test
    void pythonSockets() {
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", PY_SOCKETS), Native.run(PYTHON, "-c", PY_SOCKETS));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("b'hello over tcp'\n200000\n"), r::describe);
        assertTrue(r.stdout().endsWith("b'a' b'bb'\n"), r::describe);
    }

    private static final String PY_FORK = String.join("\n",
            "import socket, os, threading",
            "a, b = socket.socketpair()",
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()",
            "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))",
            "pid = os.fork()",
            "if pid == 0:",
            "    a.close()",
            "    b.sendall(b'from child')",
            "    c = socket.create_connection(srv.getsockname())",
            "    c.sendall(b'x' * 5000000)",
            "    c.close()",
            "    v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "    v.sendto(b'datagram from child', u.getsockname())",
            "    os._exit(0)",
            "b.close()",
            "print(a.recv(100))",
            "conn, _ = srv.accept()",
            "n = 0",
            "while True:",
            "    d = conn.recv(65536)",
            "    if not d:",
            "        break",
            "    n += len(d)",
            "print(n)",
            "print(u.recvfrom(100)[0])",
            "os.waitpid(pid, 0)",
            "print(a.recv(10))",
            "x, y = socket.socketpair()",
            "def worker():",
            "    y.sendall(x.recv(100).upper())",
            "t = threading.Thread(target=worker); t.start()",
            "y.sendall(b'to the thread')",
            "t.join()",
            "print(x.recv(100))");

    /**
     * Blocking calls woken by another process and another thread: recv, accept and a sender held back
     * by a full buffer (5 MB through TCP) until the reader catches up; EOF when the last copy closes.
     */
    @Test
    void pythonSocketsAcrossProcessesAndThreads() {
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", PY_FORK), Native.run(PYTHON, "-c", PY_FORK));
        assertEquals(0, r.exitCode, r::describe);
        assertEquals("b'from child'\n5000000\nb'datagram from child'\nb''\nb'TO THE THREAD'\n", r.stdout(), r::describe);
    }

    /** Stage 1 has only the loopback network: other destinations have no route; netlink is not there yet. */
    @Test
    void onlyLoopbackIsReachable() {
        String code = String.join("\n",
                "import socket, errno",
                "for fam, typ, addr in [(socket.AF_INET, socket.SOCK_STREAM, ('192.0.2.1', 80)),",
                "                       (socket.AF_INET6, socket.SOCK_STREAM, ('2001:db8::1', 80)),",
                "                       (socket.AF_INET, socket.SOCK_DGRAM, ('192.0.2.1', 53))]:",
                "    s = socket.socket(fam, typ)",
                "    try:",
                "        s.connect(addr)",
                "        s.send(b'x')",
                "        print('reached')",
                "    except OSError as e:",
                "        print(errno.errorcode[e.errno])",
                "try:",
                "    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)",
                "except OSError as e:",
                "    print('netlink', errno.errorcode[e.errno])");
        Run r = Jvisor.run(Platforms.first(), PYTHON, "-c", code).run();
        Expect.clean(r);
        assertEquals("ENETUNREACH\nENETUNREACH\nENETUNREACH\nnetlink EAFNOSUPPORT\n", r.stdout(), r::describe);
    }

    @ParameterizedTest(name = "[{0}] sockets with data in flight across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void socketsSurviveCheckpoint(String platform) {
        Path img = Jvisor.scratch("sockckpt").resolve("img");
        Path nativeDir = Jvisor.scratch("sockckpt-native");
        Path sandboxDir = Jvisor.scratch("sockckpt-sandbox");
        Run nat = Native.sample("sockckpt", "30", "40", nativeDir.toString()).run();
        assertEquals(0, nat.exitCode, nat::describe);
        Run before = Jvisor.cmd("do", "--platform", platform, "--checkpoint-after", "400ms", "--image-path",
                img.toString(), "--", Jvisor.sample("sockckpt").toString(), "30", "40", sandboxDir.toString()).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertFalse(after.stdout().isEmpty(), () -> "the checkpoint came too late\n" + before.describe());
        assertFalse(before.stdout().contains("unix b reads"), () -> "the checkpoint came too late\n" + before.describe());
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        assertTrue(joined.contains("tcp big: 50000 bytes, intact 1\n"), joined);
        assertTrue(joined.contains("queued connection after restore: 11 'queued conn'\n"), joined);
        Jvisor.deleteTree(img.getParent());
        Jvisor.deleteTree(nativeDir);
        Jvisor.deleteTree(sandboxDir);
    }

    /**
     * accept(2) blocked with a receive timeout is interrupted by the checkpoint, restarts after the
     * restore, and then times out as it would have: EAGAIN.
     */
    @Test
    void blockedAcceptRestartsAfterRestore() {
        Path img = Jvisor.scratch("sockblock").resolve("img");
        String code = String.join("\n",
                "import socket, struct",
                "s = socket.socket()",
                "s.bind(('127.0.0.1', 0))",
                "s.listen()",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 4, 0))",
                "print('blocking', flush=True)",
                "try:",
                "    s.accept()",
                "except BlockingIOError as e:",
                "    print('timed out', e.errno)");
        Run before = Jvisor.cmd("do", "--platform", Platforms.first(), "--checkpoint-after", "3s", "--image-path",
                img.toString(), "--", PYTHON.toString(), "-c", code).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        Run after = Jvisor.cmd("restore", "--platform", Platforms.first(), "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertEquals("blocking\ntimed out 11\n", before.stdout() + after.stdout(), after::describe);
        assertTrue(after.stdout().startsWith("timed out"), () -> "the checkpoint came too early\n" + before.describe());
        Jvisor.deleteTree(img.getParent());
    }

    /** A task blocked reading an empty socket is brought to a clean boundary: the checkpoint completes. */
    @Test
    void checkpointWhileBlockedInRecv() {
        Path img = Jvisor.scratch("sockrecv").resolve("img");
        Run r = Jvisor.cmd("do", "--platform", Platforms.first(), "--checkpoint-after", "3s", "--image-path",
                img.toString(), "--", PYTHON.toString(), "-c",
                "import socket; a, b = socket.socketpair(); print('blocking', flush=True); a.recv(1)").run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertEquals("blocking\n", r.stdout(), r::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), r::describe);
        Jvisor.deleteTree(img.getParent());
    }
}
