package dev.jvisor.kernel.fs.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The slot accounting behind F_SETPIPE_SZ, tee, splice between pipes and vmsplice, as Linux's
 * pipe_buffer ring does it: capacity is counted in slots, copied or vmspliced slots are not merged
 * into, and a ring shrinks only if what it holds fits.
 */
class PipeSpliceTest {
    private static final Pipe.Waiter NEVER = (lock, ready) -> {
        throw new AssertionError("must not block");
    };

    private static Pipe pipe() {
        Pipe p = new Pipe();
        p.openBoth();
        return p;
    }

    private static long write(Pipe p, byte[] data) {
        return p.write((at, b, off, n) -> System.arraycopy(data, (int) at, b, off, n), data.length, true, NEVER);
    }

    private static byte[] read(Pipe p, int len) {
        byte[] out = new byte[len];
        long n = p.read((at, b, off, k) -> System.arraycopy(b, off, out, (int) at, k), len, true, NEVER);
        return Arrays.copyOf(out, (int) n);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallException.class, r::run).errno;
    }

    @Test
    void resizeKeepsDataAndChangesCapacity() {
        Pipe p = pipe();
        write(p, bytes("abc"));
        read(p, 1);
        write(p, new byte[4096]);
        p.resize(2);
        assertEquals(8192, p.capacity());
        assertEquals(0, p.freeSlots());
        assertEquals(Errno.EAGAIN, errno(() -> write(p, new byte[4096])), "two slots, both used");
        assertEquals(Errno.EBUSY, errno(() -> p.resize(1)), "two slots hold data");
        assertArrayEquals(bytes("bc"), read(p, 2), "the data moved with the ring");
        assertEquals(4096, read(p, 8192).length);
        p.resize(1);
        assertEquals(4096, p.capacity());
    }

    @Test
    void teeCopiesSlotsWithoutConsuming() {
        Pipe in = pipe(), out = pipe();
        write(in, bytes("hello"));
        write(in, new byte[4096]);
        assertEquals(4101, Pipe.link(in, out, 1 << 20, false, true));
        assertEquals(4101, in.available(), "tee consumes nothing");
        assertEquals(14, out.freeSlots(), "one output slot per input slot");
        assertEquals(3, Pipe.link(in, out, 3, false, true), "len cuts the first slot");
        assertArrayEquals(bytes("hello"), read(out, 5));
    }

    @Test
    void spliceMovesWholeSlotsAndCopiesParts() {
        Pipe in = pipe(), out = pipe();
        write(in, bytes("0123456789"));
        write(in, new byte[5000]);
        assertEquals(3, Pipe.link(in, out, 3, true, true));
        assertEquals(5007, in.available());
        assertEquals(5007, Pipe.link(in, out, 1 << 20, true, true));
        assertEquals(0, in.available());
        assertEquals(Errno.EAGAIN, errno(() -> Pipe.link(in, out, 1, true, true)), "empty input, writers left");
        assertArrayEquals(bytes("0123456789"), read(out, 10));
    }

    @Test
    void copiedSlotsAreNotMergedInto() {
        Pipe in = pipe(), out = pipe();
        out.resize(1);
        write(in, bytes("ab"));
        Pipe.link(in, out, 1, true, true);
        assertEquals(Errno.EAGAIN, errno(() -> write(out, bytes("c"))), "a partial splice made a slot writes skip");
        Pipe q = pipe();
        q.resize(1);
        write(q, bytes("a"));
        assertEquals(1, write(q, bytes("b")), "a write's own slot is merged into");
    }

    @Test
    void vmsplicePiecesTakeASlotEach() {
        Pipe p = pipe();
        byte[][] pieces = new byte[20][];
        Arrays.fill(pieces, bytes("x"));
        assertEquals(16, p.addPieces(pieces, true, NEVER));
        assertEquals(Errno.EAGAIN, errno(() -> p.addPieces(pieces, true, NEVER)));
        assertEquals(16, p.available());
    }

    @Test
    void noReaderIsEpipe() {
        Pipe in = pipe(), out = pipe();
        write(in, bytes("a"));
        out.release(true, false);
        assertEquals(Errno.EPIPE, errno(() -> Pipe.link(in, out, 1, false, true)));
        assertEquals(Errno.EPIPE, errno(() -> out.awaitSpace(true, NEVER)));
        assertEquals(Errno.EPIPE, errno(() -> out.addPieces(new byte[][] {bytes("a")}, true, NEVER)));
    }

    @Test
    void noWriterIsEndOfData() {
        Pipe in = pipe(), out = pipe();
        in.release(false, true);
        in.awaitData(false, NEVER);
        assertEquals(0, Pipe.link(in, out, 10, true, false));
    }
}
