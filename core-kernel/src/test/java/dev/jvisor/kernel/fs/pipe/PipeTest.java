package dev.jvisor.kernel.fs.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Linux pipe semantics of {@link Pipe}, with Java arrays for app memory and a polling waiter. */
class PipeTest {
    /** Waits by polling; returns false ("interrupted") once {@code stop} is set. */
    static Pipe.Waiter polling(AtomicBoolean stop) {
        return (lock, ready) -> {
            while (true) {
                synchronized (lock) {
                    if (ready.getAsBoolean()) {
                        return true;
                    }
                }
                if (stop.get()) {
                    return false;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return false;
                }
            }
        };
    }

    private static final Pipe.Waiter NEVER = (lock, ready) -> {
        throw new AssertionError("must not block");
    };

    private static Pipe pipe() {
        Pipe p = new Pipe();
        p.openBoth();
        return p;
    }

    private static long write(Pipe p, byte[] data, boolean nonblock) {
        return p.write((at, b, off, n) -> System.arraycopy(data, (int) at, b, off, n), data.length, nonblock, NEVER);
    }

    private static byte[] read(Pipe p, int len, boolean nonblock, Pipe.Waiter w) {
        byte[] out = new byte[len];
        long n = p.read((at, b, off, k) -> System.arraycopy(b, off, out, (int) at, k), len, nonblock, w);
        return Arrays.copyOf(out, (int) n);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallException.class, r::run).errno;
    }

    @Test
    void bytesComeOutInOrderAcrossWrites() {
        Pipe p = pipe();
        assertEquals(3, write(p, bytes("abc"), false));
        assertEquals(4, write(p, bytes("defg"), false));
        assertEquals(7, p.available());
        assertArrayEquals(bytes("abcde"), read(p, 5, false, NEVER));
        assertArrayEquals(bytes("fg"), read(p, 100, false, NEVER));
        assertEquals(0, p.available());
    }

    @Test
    void readAfterLastWriterClosesIsEof() {
        Pipe p = pipe();
        write(p, bytes("xy"), false);
        p.release(false, true);
        assertArrayEquals(bytes("xy"), read(p, 10, false, NEVER), "data written before the close is still read");
        assertEquals(0, read(p, 10, false, NEVER).length);
        assertEquals(0, read(p, 10, true, NEVER).length, "EOF, not EAGAIN, even when nonblocking");
    }

    @Test
    void writeWithoutReadersIsEpipe() {
        Pipe p = pipe();
        p.release(true, false);
        assertEquals(Errno.EPIPE, errno(() -> write(p, bytes("x"), false)));
        assertEquals(0, write(p, new byte[0], false), "an empty write succeeds");
    }

    @Test
    void nonblockingReadOfEmptyPipeIsEagain() {
        Pipe p = pipe();
        assertEquals(Errno.EAGAIN, errno(() -> read(p, 10, true, NEVER)));
    }

    @Test
    void fullPipeHolds64KiBThenEagain() {
        Pipe p = pipe();
        byte[] page = new byte[4096];
        long total = 0;
        while (true) {
            try {
                total += write(p, page, true);
            } catch (SyscallException e) {
                assertEquals(Errno.EAGAIN, e.errno);
                break;
            }
        }
        assertEquals(Pipe.CAPACITY, total);
        assertEquals(Errno.EAGAIN, errno(() -> write(p, new byte[1], true)));
    }

    @Test
    void smallWritesAreNeverSplit() {
        Pipe p = pipe();
        // 15 full pages, then 4000 bytes: every slot is used, 96 bytes free in the last page.
        for (int i = 0; i < 15; i++) {
            write(p, new byte[4096], true);
        }
        write(p, new byte[4000], true);
        assertEquals(Errno.EAGAIN, errno(() -> write(p, new byte[97], true)), "97 bytes fit nowhere whole");
        assertEquals(96, write(p, new byte[96], true), "96 bytes fit in the last page");
        read(p, 100, true, NEVER);
        assertEquals(65436, p.available());
        assertEquals(Errno.EAGAIN, errno(() -> write(p, new byte[100], true)),
                "100 bytes free, but not in one place: a small write waits for room for all of it");
        assertEquals(Errno.EAGAIN, errno(() -> write(p, new byte[8192], true)));
        read(p, 3996, true, NEVER);
        assertEquals(4096, write(p, new byte[4096], true), "a freed page takes a PIPE_BUF write");
    }

    @Test
    void largeNonblockingWriteIsPartial() {
        Pipe p = pipe();
        for (int i = 0; i < 14; i++) {
            write(p, new byte[4096], true);
        }
        assertEquals(8192, write(p, new byte[20000], true), "fills the two free pages and stops");
    }

    @Test
    void smallWritesMergeIntoTheLastPage() {
        Pipe p = pipe();
        for (int i = 0; i < Pipe.CAPACITY; i += 64) {
            assertEquals(64, write(p, new byte[64], true));
        }
        assertEquals(Pipe.CAPACITY, p.available());
    }

    @Test
    void dataSurvivesWrapAround() {
        Pipe p = pipe();
        byte[] a = new byte[60000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 7);
        }
        assertEquals(60000, write(p, a, true));
        assertArrayEquals(Arrays.copyOfRange(a, 0, 10000), read(p, 10000, true, NEVER));
        byte[] rest = read(p, 50000, true, NEVER);
        assertArrayEquals(Arrays.copyOfRange(a, 10000, 60000), rest);
        byte[] b = new byte[40000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 13 + 1);
        }
        assertEquals(40000, write(p, b, true), "the ring's slots wrap past the end");
        byte[] back = new byte[40000];
        int got = 0;
        while (got < back.length) {
            byte[] part = read(p, 7000, true, NEVER);
            System.arraycopy(part, 0, back, got, part.length);
            got += part.length;
        }
        assertArrayEquals(b, back);
    }

    @Test
    void faultInTheReaderLeavesDataInThePipe() {
        Pipe p = pipe();
        write(p, bytes("keep"), false);
        assertEquals(Errno.EFAULT, errno(() -> p.read((at, b, off, n) -> {
            throw new SyscallException(Errno.EFAULT);
        }, 4, false, NEVER)));
        assertArrayEquals(bytes("keep"), read(p, 4, false, NEVER));
    }

    @Test
    void blockedReaderWakesOnWrite() throws Exception {
        Pipe p = pipe();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<byte[]> r = CompletableFuture.supplyAsync(() -> read(p, 10, false, polling(stop)));
        Thread.sleep(50);
        assertTrue(!r.isDone(), "a read of an empty pipe blocks");
        write(p, bytes("hi"), false);
        assertArrayEquals(bytes("hi"), r.get(5, TimeUnit.SECONDS));
    }

    @Test
    void blockedReaderSeesEofWhenWritersGo() throws Exception {
        Pipe p = pipe();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<byte[]> r = CompletableFuture.supplyAsync(() -> read(p, 10, false, polling(stop)));
        Thread.sleep(20);
        p.release(false, true);
        assertEquals(0, r.get(5, TimeUnit.SECONDS).length);
    }

    @Test
    void blockedWriterFinishesWhenReaderDrains() throws Exception {
        Pipe p = pipe();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] big = new byte[100000];
        Arrays.fill(big, (byte) 5);
        CompletableFuture<Long> w = CompletableFuture.supplyAsync(() -> p.write(
                (at, b, off, n) -> System.arraycopy(big, (int) at, b, off, n), big.length, false, polling(stop)));
        int got = 0;
        while (got < big.length) {
            got += read(p, 30000, false, polling(stop)).length;
        }
        assertEquals(big.length, w.get(5, TimeUnit.SECONDS));
    }

    @Test
    void interruptedWaitRestartsOrReturnsWhatMoved() throws Exception {
        Pipe p = pipe();
        AtomicBoolean stop = new AtomicBoolean(true);
        assertEquals(Errno.ERESTARTSYS, errno(() -> read(p, 1, false, polling(stop))),
                "nothing read: the syscall restarts after the checkpoint");
        byte[] big = new byte[Pipe.CAPACITY + 1000];
        long n = p.write((at, b, off, k) -> System.arraycopy(big, (int) at, b, off, k), big.length, false,
                polling(stop));
        assertEquals(Pipe.CAPACITY, n, "a write interrupted after moving bytes returns their count");
        assertEquals(Errno.ERESTARTSYS, errno(() -> p.write((at, b, off, k) -> { }, 1, false, polling(stop))),
                "nothing written: the syscall restarts");
    }

    @Test
    void writerBlockedOnFullPipeGetsEpipeWhenReadersGo() throws Exception {
        Pipe p = pipe();
        for (int i = 0; i < 16; i++) {
            write(p, new byte[4096], true);
        }
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> w = CompletableFuture.supplyAsync(() -> {
            try {
                p.write((at, b, off, k) -> { }, 10, false, polling(stop));
                return 0;
            } catch (SyscallException e) {
                return e.errno;
            }
        });
        Thread.sleep(20);
        p.release(true, false);
        assertEquals(Errno.EPIPE, w.get(5, TimeUnit.SECONDS));
    }

    // ---- FIFO opens ---------------------------------------------------------------------------------

    @Test
    void fifoOpenRules() throws Exception {
        Pipe p = new Pipe();
        assertEquals(Errno.ENXIO, errno(() -> p.open(false, true, true, NEVER)), "O_WRONLY|O_NONBLOCK, no reader");
        p.open(true, false, true, NEVER); // O_RDONLY|O_NONBLOCK never waits
        assertEquals(1, p.readers());
        assertEquals(0, read(p, 5, true, NEVER).length, "no writer: EOF");
        p.open(false, true, true, NEVER); // now there is a reader
        assertEquals(1, p.writers());
        p.open(true, true, false, NEVER); // O_RDWR never waits
        assertEquals(2, p.readers());
        assertEquals(2, p.writers());
    }

    @Test
    void blockingFifoOpenWaitsForTheOtherEnd() throws Exception {
        Pipe p = new Pipe();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> p.open(true, false, false, polling(stop)));
        Thread.sleep(50);
        assertTrue(!reader.isDone(), "a reader waits for a writer");
        p.open(false, true, false, NEVER); // a reader is there: the writer does not wait
        reader.get(5, TimeUnit.SECONDS);
        assertEquals(1, p.readers());
        assertEquals(1, p.writers());
    }

    @Test
    void interruptedFifoOpenUndoesItself() {
        Pipe p = new Pipe();
        AtomicBoolean stop = new AtomicBoolean(true);
        assertEquals(Errno.ERESTARTSYS, errno(() -> p.open(true, false, false, polling(stop))));
        assertEquals(0, p.readers());
        assertEquals(Errno.ERESTARTSYS, errno(() -> p.open(false, true, false, polling(stop))));
        assertEquals(0, p.writers());
    }

    @Test
    void lastCloseForgetsUnreadData() {
        Pipe p = new Pipe();
        p.open(true, true, false, NEVER);
        write(p, bytes("lost"), false);
        p.release(true, true);
        assertEquals(0, p.available());
    }
}
