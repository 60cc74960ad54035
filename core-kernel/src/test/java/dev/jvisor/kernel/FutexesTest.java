package dev.jvisor.kernel;

import static dev.jvisor.kernel.Futexes.BITSET_MATCH_ANY;
import static dev.jvisor.kernel.Futexes.FUTEX_OWNER_DIED;
import static dev.jvisor.kernel.Futexes.FUTEX_WAITERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.futex.Deadline;
import dev.jvisor.kernel.futex.FutexKey;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.syscalls.FutexWaitRestart;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Futex queues with real tasks waiting on Java threads: wake-ups (prompt, none lost), bitsets,
 * timeouts and interruptions, requeue, wake-op, shared keys across address spaces, PI hand-over in
 * FIFO order, requeue-PI, futex_waitv, robust-list cleanup at exit, and the restart block's round trip.
 */
class FutexesTest {
    private static final long MAX = 0x7ff000000000L;
    private static final int RW = MemoryManager.PROT_READ | MemoryManager.PROT_WRITE;
    private static final int ANON = MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS;
    private static final long FOREVER_MS = 10_000;

    @TempDir
    Path dir;

    private MemoryFile file;
    private Kernel kernel;
    private Futexes f;
    private MemoryManager mm;
    private long page;
    private Task t1, t2, t3;

    @BeforeEach
    void setUp() {
        file = MemoryFile.create(1L << 30);
        kernel = new Kernel(file, Map.of(), "box");
        new KernelRuntime(kernel, null, null, new KernelRuntime.Options(false, new PrintStream(OutputStream.nullOutputStream())));
        f = kernel.runtime().futexes();
        mm = new MemoryManager(file, kernel.pageRefs(), MAX);
        mm.setMmapBase(0x7f0000000000L);
        page = mm.mmapAnonymous(0, 4096, RW, ANON, "");
        t1 = task(mm);
        t2 = task(mm);
        t3 = task(mm);
    }

    @AfterEach
    void tearDown() {
        file.close();
    }

    private Task task(MemoryManager space) {
        ThreadGroup tg = kernel.newThreadGroup(null);
        Task t = new Task(kernel, tg.tgid, tg, space, new FdTable());
        kernel.addTask(t);
        return t;
    }

    private static CompletableFuture<Long> async(LongSupplier op) {
        CompletableFuture<Long> r = new CompletableFuture<>();
        Thread th = new Thread(() -> {
            try {
                r.complete(op.getAsLong());
            } catch (Throwable e) {
                r.completeExceptionally(e);
            }
        });
        th.setDaemon(true);
        th.start();
        return r;
    }

    private static long get(CompletableFuture<Long> r) throws Exception {
        return r.get(FOREVER_MS, TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code n} tasks are queued on the futex. */
    private void awaitQueued(MemoryManager space, long addr, boolean shared, int n) throws InterruptedException {
        FutexKey key = FutexKey.of(space, addr, shared, false);
        while (f.waiting(key) != n) {
            Thread.sleep(1);
        }
    }

    // ---- wait and wake ---------------------------------------------------------------------------------

    @Test
    void waitWakeAndMismatch() throws Exception {
        mm.writeInt(page, 5);
        assertEquals(-Errno.EAGAIN, f.wait(t1, page, false, 6, BITSET_MATCH_ANY, Deadline.NEVER));
        CompletableFuture<Long> w = async(() -> f.wait(t1, page, false, 5, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, page, false, 1);
        assertEquals(0, f.wake(t2, page, true, 1, BITSET_MATCH_ANY), "a shared wake misses a private waiter");
        assertEquals(1, f.wake(t2, page, false, 0, BITSET_MATCH_ANY), "a wake of 0 still wakes one");
        assertEquals(0, get(w));
        assertEquals(0, f.wake(t2, page, false, 1, BITSET_MATCH_ANY));
    }

    /** Ping-pong between two tasks: each wake must reach its waiter, none may be lost to a race. */
    @Test
    void noLostWakeups() throws Exception {
        long a = page;
        int rounds = 300;
        CompletableFuture<Long> pong = async(() -> {
            for (int i = 0; i < rounds; i++) {
                while (mm.readInt(a) == 2 * i) {
                    f.wait(t2, a, false, 2 * i, BITSET_MATCH_ANY, Deadline.NEVER);
                }
                mm.writeInt(a, 2 * i + 2);
                f.wake(t2, a, false, 1, BITSET_MATCH_ANY);
            }
            return 0;
        });
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            mm.writeInt(a, 2 * i + 1);
            f.wake(t1, a, false, 1, BITSET_MATCH_ANY);
            while (mm.readInt(a) == 2 * i + 1) {
                f.wait(t1, a, false, 2 * i + 1, BITSET_MATCH_ANY, Deadline.NEVER);
            }
        }
        assertEquals(0, get(pong));
        // A lost wake-up would cost a whole safety-net slice (1 s); 300 rounds take far less.
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
        assertEquals(2 * rounds, mm.readInt(a));
    }

    @Test
    void bitsets() throws Exception {
        CompletableFuture<Long> w = async(() -> f.wait(t1, page, false, 0, 0x1, Deadline.NEVER));
        awaitQueued(mm, page, false, 1);
        assertEquals(0, f.wake(t2, page, false, 1, 0x2));
        assertEquals(-Errno.EINVAL, f.wake(t2, page, false, 1, 0));
        assertEquals(1, f.wake(t2, page, false, 1, 0x3));
        assertEquals(0, get(w));
        assertEquals(-Errno.EINVAL, f.wait(t1, page, false, 0, 0, Deadline.NEVER));
    }

    @Test
    void timeoutsAndInterruption() throws Exception {
        assertEquals(-Errno.ETIMEDOUT, f.wait(t1, page, false, 0, BITSET_MATCH_ANY, Deadline.after(kernel.clock(), 5_000_000)));
        assertEquals(-Errno.ETIMEDOUT, f.wait(t1, page, true, 0, BITSET_MATCH_ANY, new Deadline(0, true)));
        CompletableFuture<Long> w = async(() -> f.wait(t1, page, false, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, page, false, 1);
        t1.kick();
        assertEquals(-Errno.ERESTARTSYS, get(w));
        assertEquals(0, f.waiting(FutexKey.of(mm, page, false, false)), "an interrupted waiter leaves the queue");
    }

    @Test
    void requeueAndCmpRequeue() throws Exception {
        long a = page, b = page + 8;
        CompletableFuture<Long> w1 = async(() -> f.wait(t1, a, false, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, a, false, 1);
        CompletableFuture<Long> w2 = async(() -> f.wait(t2, a, false, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, a, false, 2);
        assertEquals(-Errno.EAGAIN, f.requeue(t3, a, b, false, 1, 1, 1));
        assertEquals(2, f.requeue(t3, a, b, false, 1, 1, 0));
        assertEquals(0, get(w1), "the first waiter is woken");
        assertFalse(w2.isDone());
        assertEquals(0, f.wake(t3, a, false, 1, BITSET_MATCH_ANY));
        assertEquals(1, f.wake(t3, b, false, 1, BITSET_MATCH_ANY), "the second was moved");
        assertEquals(0, get(w2));
    }

    @Test
    void wakeOpWritesAndWakesBoth() throws Exception {
        long a = page, b = page + 8;
        mm.writeInt(b, 5);
        CompletableFuture<Long> wa = async(() -> f.wait(t1, a, false, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, a, false, 1);
        CompletableFuture<Long> wb = async(() -> f.wait(t2, b, false, 5, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, b, false, 1);
        // FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 5)
        int op = (1 << 28) | (0 << 24) | (1 << 12) | 5;
        assertEquals(2, f.wakeOp(t3, a, b, false, 1, 1, op));
        assertEquals(6, mm.readInt(b));
        assertEquals(0, get(wa));
        assertEquals(0, get(wb));
    }

    @Test
    void waitvReturnsTheWokenIndex() throws Exception {
        long a = page, b = page + 8;
        CompletableFuture<Long> w = async(() -> f.waitv(t1, new long[] {a, b}, new int[] {0, 0},
                new boolean[] {false, true}, Deadline.NEVER));
        awaitQueued(mm, b, true, 1);
        assertEquals(1, f.wake(t2, b, true, 1, BITSET_MATCH_ANY));
        assertEquals(1, get(w));
        assertEquals(0, f.waiting(FutexKey.of(mm, a, false, false)), "the other futex is left");
    }

    // ---- shared keys -----------------------------------------------------------------------------------

    /** Two address spaces mapping one memfd at different addresses share its futexes. */
    @Test
    void sharedFutexAcrossAddressSpaces() throws Exception {
        MemFs fs = kernel.memfdFs();
        MemFile shm = new MemFile(fs, fs.nextIno(), 0777, 0, 0);
        shm.truncate(null, 8192);
        MemoryManager other = new MemoryManager(file, kernel.pageRefs(), MAX);
        other.setMmapBase(0x7e0000000000L);
        long here = mm.mmapFile(0, 8192, RW, MemoryManager.MAP_SHARED, shm, 0, "shm");
        long there = other.mmapFile(0, 8192, RW, MemoryManager.MAP_SHARED, shm, 0, "shm");
        Task remote = task(other);
        assertTrue(here != there);
        CompletableFuture<Long> w = async(() -> f.wait(t1, here + 4100, true, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, here + 4100, true, 1);
        assertEquals(0, f.wake(remote, there + 4100, false, 1, BITSET_MATCH_ANY), "a private wake stays in its space");
        assertEquals(0, f.wake(remote, there + 4104, true, 1, BITSET_MATCH_ANY));
        assertEquals(1, f.wake(remote, there + 4100, true, 1, BITSET_MATCH_ANY));
        assertEquals(0, get(w));
        assertEquals(mm.sharedBackingOffset(here + 4100), other.sharedBackingOffset(there + 4100));
        assertEquals(-1, mm.sharedBackingOffset(page));
    }

    // ---- PI ----------------------------------------------------------------------------------------------

    @Test
    void piLockHandedOverInOrder() throws Exception {
        long l = page;
        assertEquals(0, f.lockPi(t1, l, false, Deadline.NEVER, false));
        assertEquals(t1.tid, mm.readInt(l));
        assertEquals(-Errno.EAGAIN, f.lockPi(t2, l, false, Deadline.NEVER, true));
        assertEquals(FUTEX_WAITERS | t1.tid, mm.readInt(l), "a failed trylock leaves FUTEX_WAITERS");
        CompletableFuture<Long> w2 = async(() -> f.lockPi(t2, l, false, Deadline.NEVER, false));
        awaitQueued(mm, l, false, 1);
        CompletableFuture<Long> w3 = async(() -> f.lockPi(t3, l, false, Deadline.NEVER, false));
        awaitQueued(mm, l, false, 2);
        assertEquals(-Errno.EINVAL, f.wake(t1, l, false, 1, BITSET_MATCH_ANY), "PI waiters cannot be woken");
        assertEquals(-Errno.EPERM, f.unlockPi(t2, l, false));
        assertEquals(0, f.unlockPi(t1, l, false));
        assertEquals(0, get(w2));
        assertEquals(FUTEX_WAITERS | t2.tid, mm.readInt(l));
        assertFalse(w3.isDone());
        assertEquals(0, f.unlockPi(t2, l, false));
        assertEquals(0, get(w3));
        assertEquals(FUTEX_WAITERS | t3.tid, mm.readInt(l));
        assertEquals(0, f.unlockPi(t3, l, false));
        assertEquals(0, mm.readInt(l));
    }

    @Test
    void piLockTimesOut() throws Exception {
        long l = page;
        mm.writeInt(l, t1.tid);
        assertEquals(-Errno.ETIMEDOUT, f.lockPi(t2, l, false, Deadline.after(kernel.clock(), 5_000_000), false));
        assertEquals(FUTEX_WAITERS | t1.tid, mm.readInt(l));
        assertEquals(0, f.unlockPi(t1, l, false), "no waiter left: the word is cleared");
        assertEquals(0, mm.readInt(l));
    }

    @Test
    void deadPiOwnerHandsOverWithOwnerDied() throws Exception {
        long l = page;
        assertEquals(0, f.lockPi(t1, l, true, Deadline.NEVER, false));
        CompletableFuture<Long> w = async(() -> f.lockPi(t2, l, true, Deadline.NEVER, false));
        awaitQueued(mm, l, true, 1);
        f.exitRobustList(t1);
        assertEquals(0, get(w));
        assertEquals(FUTEX_OWNER_DIED | FUTEX_WAITERS | t2.tid, mm.readInt(l));
    }

    @Test
    void requeuePi() throws Exception {
        long cond = page, lock = page + 8;
        // Uncontended: the first waiter gets the lock at once.
        CompletableFuture<Long> w1 = async(() -> f.waitRequeuePi(t1, cond, lock, false, 0, Deadline.NEVER));
        awaitQueued(mm, cond, false, 1);
        assertEquals(-Errno.EINVAL, f.wake(t3, cond, false, 1, BITSET_MATCH_ANY));
        assertEquals(-Errno.EINVAL, f.requeue(t3, cond, lock, false, 1, 1, 0));
        assertEquals(1, f.cmpRequeuePi(t3, cond, lock, false, 1, 0, 0));
        assertEquals(0, get(w1));
        assertEquals(t1.tid, mm.readInt(lock));
        // Contended: the waiter is moved to the lock and gets it on unlock.
        CompletableFuture<Long> w2 = async(() -> f.waitRequeuePi(t2, cond, lock, false, 0, Deadline.NEVER));
        awaitQueued(mm, cond, false, 1);
        assertEquals(1, f.cmpRequeuePi(t3, cond, lock, false, 1, 1, 0));
        awaitQueued(mm, lock, false, 1);
        assertEquals(FUTEX_WAITERS | t1.tid, mm.readInt(lock));
        assertEquals(0, f.unlockPi(t1, lock, false));
        assertEquals(0, get(w2));
        assertEquals(FUTEX_WAITERS | t2.tid, mm.readInt(lock));
    }

    // ---- robust lists and exit ---------------------------------------------------------------------------

    @Test
    void robustListMarksOwnerDiedAndWakes() throws Exception {
        long head = page, e1 = page + 64, e2 = page + 128, e3 = page + 192;
        long off = 16;
        mm.writeLong(head, e1);
        mm.writeLong(head + 8, off);
        mm.writeLong(head + 16, e3);
        mm.writeLong(e1, e2);
        mm.writeLong(e2, head);
        mm.writeInt(e1 + off, t1.tid | FUTEX_WAITERS);
        mm.writeInt(e2 + off, t2.tid);
        mm.writeInt(e3 + off, 0); // pending: released but waiters not yet woken
        CompletableFuture<Long> w1 = async(() -> f.wait(t2, e1 + off, true, t1.tid | FUTEX_WAITERS, BITSET_MATCH_ANY,
                Deadline.NEVER));
        awaitQueued(mm, e1 + off, true, 1);
        CompletableFuture<Long> w3 = async(() -> f.wait(t3, e3 + off, true, 0, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, e3 + off, true, 1);
        t1.robustList = head;
        f.exitRobustList(t1);
        assertEquals(0, get(w1));
        assertEquals(0, get(w3));
        assertEquals(FUTEX_OWNER_DIED | FUTEX_WAITERS, mm.readInt(e1 + off));
        assertEquals(t2.tid, mm.readInt(e2 + off), "another thread's lock is left alone");
        assertEquals(0, t1.robustList);
    }

    @Test
    void circularRobustListEnds() {
        long head = page, e1 = page + 64;
        mm.writeLong(head, e1);
        mm.writeLong(head + 8, 8);
        mm.writeLong(e1, e1); // never reaches the head
        mm.writeInt(e1 + 8, t1.tid);
        t1.robustList = head;
        f.exitRobustList(t1);
        assertEquals(FUTEX_OWNER_DIED, mm.readInt(e1 + 8));
    }

    @Test
    void clearChildTidWakesJoiner() throws Exception {
        long tidWord = page + 32;
        mm.writeInt(tidWord, t1.tid);
        CompletableFuture<Long> join = async(() -> f.wait(t2, tidWord, true, t1.tid, BITSET_MATCH_ANY, Deadline.NEVER));
        awaitQueued(mm, tidWord, true, 1);
        f.wakeForClearChildTid(t1, tidWord);
        assertEquals(0, get(join));
        assertEquals(0, mm.readInt(tidWord));
    }

    // ---- checkpoint ----------------------------------------------------------------------------------------

    /** The restart block of a timed wait survives a snapshot and waits again with the same deadline. */
    @Test
    void waitRestartRoundTrips() throws Exception {
        kernel.removeTask(t2);
        kernel.removeTask(t3);
        t1.restart = restartOf(page, 0, Deadline.after(kernel.clock(), 2_000_000));
        Path img = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(img, kernel);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(img, Kernel.class);
        // A fresh, empty memory file, as a restore has before it loads the pages: the word reads 0.
        back.memory().attach();
        new KernelRuntime(back, null, null, new KernelRuntime.Options(false, new PrintStream(OutputStream.nullOutputStream())));
        Task bt = back.tasks().get(0);
        assertEquals(FutexWaitRestart.class, bt.restart.getClass());
        assertEquals(-Errno.ETIMEDOUT, bt.restart.restart(bt), "the same word, value and deadline");
        bt.mm().writeInt(page, 4);
        assertEquals(-Errno.EAGAIN, bt.restart.restart(bt));
        back.memory().close();
    }

    private static RestartBlock restartOf(long addr, int val, Deadline d) throws Exception {
        var c = FutexWaitRestart.class.getDeclaredConstructor(long.class, int.class, int.class, boolean.class, Deadline.class);
        c.setAccessible(true);
        return c.newInstance(addr, val, BITSET_MATCH_ANY, false, d);
    }
}
