package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timer state in the kernel graph, without a host: ids as Linux hands them out, a queued timer
 * signal dropped once its timer is re-armed or deleted, delivered (as a copy) otherwise, SIGEV_NONE
 * timers read by forwarding, hrtimer_forward's arithmetic, and a Kryo round trip that keeps a queued
 * timer signal the very object its timer holds (what delivery after a restore relies on).
 */
class ProcessTimersTest {
    @TempDir
    Path dir;

    private MemoryFile mf;
    private Kernel k;
    private ThreadGroup tg;
    private Task t;

    @BeforeEach
    void setUp() {
        mf = MemoryFile.create(1L << 26);
        k = new Kernel(mf, Map.of(), "box");
        tg = k.newThreadGroup(null);
        t = new Task(k, tg.tgid, tg, new MemoryManager(mf, k.pageRefs(), 0x7ff000000000L), new FdTable());
        k.addTask(t);
    }

    @AfterEach
    void tearDown() {
        mf.close();
    }

    /** A timer as timer_create leaves it, signalling the process with {@code signo}. */
    private PosixTimer create(int notify, int signo) {
        PosixTimer pt = tg.timers.reserve(1);
        tg.timers.activate(pt, notify, signo, 77, 0);
        return pt;
    }

    /** What an expiry does with a timer's signal: queued on the process with the current sequence. */
    private void queue(PosixTimer pt) {
        synchronized (k) {
            pt.sigqueueSeq = pt.signalSeq;
            tg.sharedPending.add(pt.sigq);
        }
    }

    @Test
    void idsAreHandedOutInOrderAndFailedCreatesUseThemUp() {
        assertEquals(0, create(ProcessTimers.SIGEV_NONE, 0).id());
        PosixTimer failed = tg.timers.reserve(1);
        assertEquals(1, failed.id());
        tg.timers.release(failed);
        assertEquals(2, create(ProcessTimers.SIGEV_NONE, 0).id());
        tg.timers.delete(2);
        assertEquals(3, create(ProcessTimers.SIGEV_NONE, 0).id(), "a deleted id is not reused at once");
        SyscallException e = assertThrows(SyscallException.class, () -> tg.timers.delete(2));
        assertEquals(Errno.EINVAL, e.errno);
        assertEquals(Errno.EINVAL, assertThrows(SyscallException.class, () -> tg.timers.getTime(-1)).errno);
    }

    @Test
    void oneShotSignalIsDeliveredAsACopy() {
        PosixTimer pt = create(ProcessTimers.SIGEV_SIGNAL, 40);
        queue(pt);
        SigInfo got = t.takeSignal(-1L);
        assertNotNull(got);
        assertFalse(got == pt.sigq, "the preallocated siginfo stays the timer's");
        assertEquals(40, got.signo());
        assertEquals(SigInfo.SI_TIMER, got.code());
        assertEquals(pt.id(), got.pid(), "si_timerid");
        assertFalse(tg.sharedPending.has(40));
    }

    @Test
    void signalOfAReArmedTimerIsDropped() {
        PosixTimer pt = create(ProcessTimers.SIGEV_SIGNAL, 40);
        queue(pt);
        synchronized (k) {
            pt.signalSeq++; // what timer_settime does
        }
        assertTrue(tg.sharedPending.has(40), "still pending until dequeued, as in Linux");
        assertNull(t.takeSignal(-1L));
        assertFalse(tg.sharedPending.has(40));
    }

    @Test
    void signalOfADeletedTimerIsDropped() {
        PosixTimer pt = create(ProcessTimers.SIGEV_SIGNAL, 40);
        queue(pt);
        tg.timers.delete(pt.id());
        assertNull(t.takeSignal(-1L));
    }

    @Test
    void appQueuedSiTimerSignalIsLeftAlone() {
        create(ProcessTimers.SIGEV_SIGNAL, 40);
        SigInfo own = SigInfo.timer(40, 0, 5, 9);
        synchronized (k) {
            tg.sharedPending.add(own);
        }
        assertSame(own, t.takeSignal(-1L));
    }

    @Test
    void sigevNoneIntervalTimerReadsForwarded() {
        PosixTimer pt = create(ProcessTimers.SIGEV_NONE, 0);
        tg.timers.setTime(pt.id(), false, 1_000_000, 1_000_000);
        long[] v = tg.timers.getTime(pt.id());
        assertEquals(1_000_000, v[0]);
        assertTrue(v[1] > 0 && v[1] <= 1_000_000, "value " + v[1]);
        tg.timers.setTime(pt.id(), true, 1, 0); // absolute, long past: a one-shot SIGEV_NONE reads 0
        assertEquals(0, tg.timers.getTime(pt.id())[1]);
        assertEquals(0, tg.timers.getOverrun(pt.id()));
    }

    @Test
    void forwardArithmeticIsHrtimerForwards() {
        assertEquals(0, ProcessTimers.overruns(100, 99, 10));
        assertEquals(1, ProcessTimers.overruns(100, 100, 10));
        assertEquals(1, ProcessTimers.overruns(100, 109, 10));
        assertEquals(3, ProcessTimers.overruns(100, 125, 10));
        assertEquals(4, ProcessTimers.overruns(100, 130, 10), "the new expiry lies strictly after now");
        assertEquals(Long.MAX_VALUE / 2, ProcessTimers.overruns(0, Long.MAX_VALUE / 2, 1) - 1);
    }

    @Test
    void graphRoundTripKeepsTheQueuedSignalTheTimers() throws Exception {
        PosixTimer pt = create(ProcessTimers.SIGEV_SIGNAL, 41);
        tg.timers.setItimer(ProcessTimers.ITIMER_REAL, 0, 0);
        queue(pt);
        Path file = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        Task bt = back.tasks().get(0);
        ThreadGroup btg = bt.threadGroup();
        SigInfo got = bt.takeSignal(-1L);
        assertNotNull(got, "the timer's signal is delivered after a restore");
        assertEquals(41, got.signo());
        assertEquals(Errno.EINVAL, assertThrows(SyscallException.class, () -> btg.timers.getTime(5)).errno);
        assertEquals(0, btg.timers.getTime(pt.id())[0]);
        assertEquals(1, create2(btg).id(), "the id counter travels too");
    }

    private static PosixTimer create2(ThreadGroup g) {
        PosixTimer pt = g.timers.reserve(1);
        g.timers.activate(pt, ProcessTimers.SIGEV_NONE, 0, 0, 0);
        return pt;
    }
}
