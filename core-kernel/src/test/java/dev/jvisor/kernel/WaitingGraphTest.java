package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.epoll.EpollFile;
import dev.jvisor.kernel.fs.eventfd.EventFdFile;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.fs.timerfd.TimerFdFile;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import dev.jvisor.platform.MemoryFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epoll sets, eventfds and timerfds in a kernel with no host side: edge-triggered and one-shot
 * semantics, and a Kryo round trip that keeps interest lists, ready lists, registrations on the
 * watched files' queues, counters and timer schedules.
 */
class WaitingGraphTest {
    private static final long MS = 1_000_000L;
    @TempDir
    Path dir;

    private MemoryFile mf;
    private Kernel k;
    private Task t;
    private long scratch;

    @BeforeEach
    void setUp() {
        mf = MemoryFile.create(1L << 30);
        k = new Kernel(mf, Map.of("vendor", "GenuineIntel"), "box");
        MemoryManager mm = new MemoryManager(mf, k.pageRefs(), 0x7ff000000000L);
        scratch = mm.mmapAnonymous(0x30000000L, 1 << 16, 3, 0x22 | 0x10, "[stack]");
        ThreadGroup tg = k.newThreadGroup(null);
        t = new Task(k, tg.tgid, tg, mm, new FdTable());
        k.addTask(t);
    }

    @AfterEach
    void tearDown() {
        mf.close();
    }

    private int install(dev.jvisor.kernel.vfs.FileDescription f) {
        return t.fds().install(f, 0, false, 1024);
    }

    /** epoll_wait with a zero timeout: data -> events of what it reported. */
    private static Map<Long, Integer> harvest(Task task, EpollFile ep, long addr) {
        int n = ep.harvest(task, addr, 16);
        ByteBuffer b = ByteBuffer.wrap(task.mm().read(addr, n * EpollFile.EVENT_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, Integer> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put(b.getLong(i * EpollFile.EVENT_SIZE + 4), b.getInt(i * EpollFile.EVENT_SIZE));
        }
        return m;
    }

    private void write(PipeFileDescription w, Task task, String s) {
        w.writeBytes(task, s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, s.length());
    }

    private static void writeCounter(Task task, EventFdFile e, long addr, long v) {
        task.mm().writeLong(addr, v);
        e.write(task, addr, 8);
    }

    @Test
    void edgeTriggeredAndOneShot() {
        PipeFileDescription[] p = PipeFileDescription.newPipe(t, k.pipeFs(), FileMode.O_NONBLOCK);
        int r = install(p[0]);
        EpollFile ep = new EpollFile(k.clock(), FileMode.O_RDWR);
        install(ep);
        ep.add(r, p[0], PollEvents.POLLIN | EpollFile.EPOLLET, 1);
        assertEquals(Map.of(), harvest(t, ep, scratch));
        write(p[1], t, "ab");
        assertEquals(Map.of(1L, PollEvents.POLLIN), harvest(t, ep, scratch));
        assertEquals(Map.of(), harvest(t, ep, scratch), "no new edge");
        write(p[1], t, "c");
        assertEquals(Map.of(1L, PollEvents.POLLIN), harvest(t, ep, scratch), "every write is an edge");
        ep.modify(r, p[0], PollEvents.POLLIN | EpollFile.EPOLLONESHOT, 2);
        assertEquals(Map.of(2L, PollEvents.POLLIN), harvest(t, ep, scratch));
        write(p[1], t, "d");
        assertEquals(Map.of(), harvest(t, ep, scratch), "disarmed until EPOLL_CTL_MOD");
        assertEquals(Errno.EEXIST, assertThrows(SyscallException.class, () -> ep.add(r, p[0], 1, 3)).errno);
        t.fds().close(r);
        assertEquals(Errno.ENOENT, assertThrows(SyscallException.class, () -> ep.delete(r, p[0])).errno,
                "the last close took the entry away");
    }

    @Test
    void epollEventfdTimerfdRoundTrip() throws Exception {
        PipeFileDescription[] p = PipeFileDescription.newPipe(t, k.pipeFs(), FileMode.O_NONBLOCK);
        int r = install(p[0]);
        int w = install(p[1]);
        EventFdFile e = new EventFdFile(0, false, FileMode.O_RDWR | FileMode.O_NONBLOCK, 0);
        int efd = install(e);
        TimerFdFile tf = new TimerFdFile(TimerFdFile.CLOCK_MONOTONIC, k.clock(), FileMode.O_RDWR | FileMode.O_NONBLOCK);
        int tfd = install(tf);
        tf.set(0, 3_600_000 * MS, 0); // far away: only its schedule travels
        EpollFile inner = new EpollFile(k.clock(), FileMode.O_RDWR);
        int innerFd = install(inner);
        inner.add(efd, e, PollEvents.POLLIN | EpollFile.EPOLLET, 10);
        EpollFile ep = new EpollFile(k.clock(), FileMode.O_RDWR);
        int epFd = install(ep);
        ep.add(r, p[0], PollEvents.POLLIN, 1);
        ep.add(innerFd, inner, PollEvents.POLLIN, 2);
        ep.add(tfd, tf, PollEvents.POLLIN, 3);
        writeCounter(t, e, scratch, 7); // the inner set's ET entry is queued, not yet reported
        assertEquals(Map.of(2L, PollEvents.POLLIN), harvest(t, ep, scratch + 4096));

        Path file = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        back.memory().attach();
        Task bt = back.tasks().get(0);
        EpollFile bep = assertInstanceOf(EpollFile.class, bt.fds().get(epFd));
        EpollFile binner = assertInstanceOf(EpollFile.class, bt.fds().get(innerFd));
        EventFdFile be = assertInstanceOf(EventFdFile.class, bt.fds().get(efd));
        TimerFdFile btf = assertInstanceOf(TimerFdFile.class, bt.fds().get(tfd));
        PipeFileDescription bw = assertInstanceOf(PipeFileDescription.class, bt.fds().get(w));
        assertEquals(7, be.count());
        long[] left = btf.get();
        assertTrue(left[0] > 3_500_000 * MS && left[0] <= 3_600_000 * MS, "the timer keeps its schedule");
        assertEquals(Map.of(2L, PollEvents.POLLIN), harvest(bt, bep, scratch), "level-triggered: still reported");
        assertEquals(Map.of(10L, PollEvents.POLLIN), harvest(bt, binner, scratch), "the ET edge survived");
        assertEquals(Map.of(), harvest(bt, binner, scratch));
        write(bw, bt, "after restore");
        assertEquals(Map.of(1L, PollEvents.POLLIN), harvest(bt, bep, scratch),
                "the restored pipe wakes the restored entry");
        writeCounter(bt, be, scratch, 1);
        assertEquals(Map.of(10L, PollEvents.POLLIN), harvest(bt, binner, scratch), "a new edge after restore");
        btf.set(0, 1, 0); // fires almost at once: the epoll set notices by its deadline, no wake-up needed
        Thread.sleep(2);
        assertEquals(PollEvents.POLLIN, btf.readiness(PollEvents.POLLIN));
        assertEquals(Map.of(1L, PollEvents.POLLIN, 3L, PollEvents.POLLIN), harvest(bt, bep, scratch));
        back.memory().close();
    }
}
