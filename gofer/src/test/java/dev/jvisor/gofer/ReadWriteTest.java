package dev.jvisor.gofer;

import static dev.jvisor.gofer.Fixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPEN, READ, WRITE, FSYNC: data at offsets as the host file holds it, and every open-mode rule. */
class ReadWriteTest {
    @TempDir
    Path tmp;
    Fixture fx;
    GoferClient c;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        c = fx.client;
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private int open(String path, int flags) throws GoferException {
        int fid = fx.walk(fx.rwRoot, path);
        c.open(fid, flags);
        return fid;
    }

    @Test
    void readsAtOffsets() throws Exception {
        int f = open("file.txt", OpenFlags.O_RDONLY);
        assertEquals(Fixture.HELLO, new String(c.read(f, 0, 100), StandardCharsets.UTF_8));
        assertEquals("gofer", new String(c.read(f, 7, 5), StandardCharsets.UTF_8));
        assertEquals(0, c.read(f, 13, 10).length);
        assertEquals(0, c.read(f, 1 << 40, 10).length);
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertEquals(4, c.read(f, 0, dst));
        assertEquals("hell", new String(dst.array(), StandardCharsets.UTF_8));
        assertErrno(Errno.EINVAL, () -> c.read(f, -1, 10));
        assertErrno(Errno.EBADF, () -> c.write(f, 0, new byte[1]));
        assertErrno(Errno.EBADF, () -> c.read(fx.walk(fx.rwRoot, "file.txt"), 0, 1)); // not open
    }

    @Test
    void writesAtOffsetsLandOnDisk() throws Exception {
        int f = open("file.txt", OpenFlags.O_RDWR);
        assertEquals(5, c.write(f, 7, "GOFER".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello, GOFER\n", Files.readString(fx.rw.resolve("file.txt")));
        assertEquals(3, c.write(f, 20, "end".getBytes(StandardCharsets.UTF_8)));
        byte[] disk = Files.readAllBytes(fx.rw.resolve("file.txt"));
        assertEquals(23, disk.length);
        assertEquals(0, disk[15], "the gap reads as zeros");
        assertEquals(23, c.stat(f).size());
        int w = open("sub/inner.txt", OpenFlags.O_WRONLY);
        assertErrno(Errno.EBADF, () -> c.read(w, 0, 1));
        c.write(w, 0, "INNER".getBytes(StandardCharsets.UTF_8));
        c.fsync(w);
        assertEquals("INNER", Files.readString(fx.rw.resolve("sub/inner.txt")));
    }

    @Test
    void truncAndAppend() throws Exception {
        int t = open("file.txt", OpenFlags.O_WRONLY | OpenFlags.O_TRUNC);
        assertEquals(0, Files.size(fx.rw.resolve("file.txt")));
        c.write(t, 0, "abc".getBytes(StandardCharsets.UTF_8));
        int a = open("file.txt", OpenFlags.O_RDWR | OpenFlags.O_APPEND);
        c.write(a, 0, "def".getBytes(StandardCharsets.UTF_8)); // offset ignored, as Linux does for O_APPEND
        c.write(a, 1, "gh".getBytes(StandardCharsets.UTF_8));
        assertEquals("abcdefgh", Files.readString(fx.rw.resolve("file.txt")));
        assertEquals("abcdefgh", new String(c.read(a, 0, 100), StandardCharsets.UTF_8));
    }

    @Test
    void largeTransfersAreClippedToMaxIoAndRoundTrip() throws Exception {
        byte[] data = new byte[3 * c.maxIo() / 2 + 12345];
        new Random(42).nextBytes(data);
        int f = c.create(fx.rwRoot, "big.bin", OpenFlags.O_RDWR, 0644).fid();
        ByteBuffer src = ByteBuffer.wrap(data);
        long off = 0;
        while (src.hasRemaining()) {
            int n = c.write(f, off, src);
            assertEquals(true, n <= c.maxIo());
            off += n;
        }
        assertArrayEquals(data, Files.readAllBytes(fx.rw.resolve("big.bin")));
        byte[] first = c.read(f, 0, Integer.MAX_VALUE);
        assertEquals(c.maxIo(), first.length);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        while (back.hasRemaining()) {
            if (c.read(f, back.position(), back) == 0) {
                break;
            }
        }
        assertArrayEquals(data, back.array());
    }

    @Test
    void openRulesFollowLinux() throws Exception {
        assertErrno(Errno.EISDIR, () -> open("sub", OpenFlags.O_WRONLY));
        assertErrno(Errno.EISDIR, () -> open("sub", OpenFlags.O_RDONLY | OpenFlags.O_TRUNC));
        assertErrno(Errno.ELOOP, () -> open("passwd_link", OpenFlags.O_RDONLY));
        assertErrno(Errno.ELOOP, () -> open("dangling", OpenFlags.O_RDONLY));
        assertErrno(Errno.ENOTDIR, () -> open("file.txt", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY));
        assertErrno(Errno.EINVAL, () -> open("file.txt", 3));
        int f = open("file.txt", OpenFlags.O_RDONLY);
        assertErrno(Errno.EINVAL, () -> c.open(f, OpenFlags.O_RDONLY));
        int d = open("sub", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        assertErrno(Errno.EISDIR, () -> c.read(d, 0, 10));
        c.fsync(d);
        c.fsync(f);
        assertErrno(Errno.EBADF, () -> c.fsync(fx.rwRoot));
    }

    @Test
    void fifosAreRefusedWithoutBlockingTheServer() throws Exception {
        assumeTrue(fx.hasFifo);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertErrno(Errno.ENXIO, () -> open("fifo", OpenFlags.O_RDONLY));
            assertErrno(Errno.ENXIO, () -> open("fifo", OpenFlags.O_WRONLY));
            assertEquals(Attr.S_IFIFO, c.stat(fx.walk(fx.rwRoot, "fifo")).type());
        });
    }
}
