package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.inotify.InotifyFile;
import dev.jvisor.kernel.fs.inotify.InotifyFlags;
import dev.jvisor.kernel.fs.inotify.InotifyLimits;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.kernel.vfs.Fsnotify;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MountNamespace;
import dev.jvisor.kernel.vfs.PathResolver;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inotify's queue and watch rules (coalescing, overflow, wds, IN_ONESHOT, IN_IGNORED, the read
 * buffer rule, IN_DELETE_SELF once nothing holds an inode) through the VFS hooks of a kernel with no
 * host side, and a Kryo round trip of an instance with watches and queued events.
 */
class InotifyGraphTest {
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
        MemFs rootFs = new MemFs(k.allocateDev(), mf, "tmpfs", 0755);
        ((MemDir) rootFs.root()).addEntry("tmp", new MemDir(rootFs, rootFs.nextIno(), 01777, 0, 0));
        MountNamespace ns = new MountNamespace(rootFs, false, "rootfs");
        k.setMounts(ns);
        ThreadGroup tg = k.newThreadGroup(null);
        MemoryManager mm = new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L);
        scratch = mm.mmapAnonymous(0x30000000L, 1 << 20, 3, 0x22 | 0x10, "");
        t = new Task(k, 1, tg, mm, new FdTable());
        Location r = ns.rootLocation();
        t.setFsContext(new FsContext(r, r));
        k.addTask(t);
    }

    @AfterEach
    void tearDown() {
        mf.close();
    }

    private Location walk(String path) {
        return PathResolver.resolve(t, t.fsContext().cwd, path, true);
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallException.class, r::run).errno;
    }

    /** A new file in /tmp with its IN_CREATE, opened read-write (with IN_OPEN). */
    private FileDescription create(String name) {
        Location tmp = walk("/tmp");
        Inode made = tmp.inode().create(t, name, 0644);
        Fsnotify.created(tmp, name, made);
        Location l = walk("/tmp/" + name);
        FileDescription f = l.inode().open(t, l, FileMode.O_RDWR);
        Fsnotify.open(f);
        return f;
    }

    private InotifyFile instance() {
        InotifyFile in = new InotifyFile(k.inotify(), 0, FileMode.O_NONBLOCK);
        k.inotify().addInstance(0);
        t.fds().install(in, 0, false, 1024);
        return in;
    }

    /** One event as read(2) returns it: "wd mask name". */
    private List<String> events(InotifyFile in) {
        List<String> out = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = in.read(t, scratch, 1 << 20);
            } catch (SyscallException e) {
                assertEquals(Errno.EAGAIN, e.errno);
                return out;
            }
            ByteBuffer b = ByteBuffer.wrap(t.mm().read(scratch, (int) n)).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                int wd = b.getInt(), mask = b.getInt();
                b.getInt();
                int len = b.getInt();
                byte[] name = new byte[len];
                b.get(name);
                String s = new String(name, StandardCharsets.UTF_8).replace("\0", "");
                out.add(wd + " " + Integer.toHexString(mask) + (s.isEmpty() ? "" : " " + s));
            }
        }
    }

    @Test
    void sameEventsInARowCoalesce() {
        InotifyFile in = instance();
        FileDescription f = create("a");
        int wd = in.addWatch(t, walk("/tmp/a").inode(), Fsnotify.IN_ALL_EVENTS);
        Fsnotify.modify(f);
        Fsnotify.modify(f);
        Fsnotify.access(f);
        Fsnotify.modify(f);
        assertEquals(List.of(wd + " 2", wd + " 1", wd + " 2"), events(in));
        assertEquals(0, in.readiness(PollEvents.POLLIN));
    }

    @Test
    void sameInodeSameWdAndWdsAreNotReused() {
        InotifyFile in = instance();
        create("a");
        create("b");
        Inode a = walk("/tmp/a").inode();
        int w1 = in.addWatch(t, a, Fsnotify.IN_MODIFY);
        assertEquals(w1, in.addWatch(t, a, Fsnotify.IN_ATTRIB));
        assertEquals(Errno.EEXIST, errno(() -> in.addWatch(t, a, Fsnotify.IN_ATTRIB | InotifyFlags.IN_MASK_CREATE)));
        in.removeWatch(w1);
        assertEquals(List.of(w1 + " 8000"), events(in), "rm_watch queues IN_IGNORED");
        assertEquals(Errno.EINVAL, errno(() -> in.removeWatch(w1)));
        int w2 = in.addWatch(t, a, Fsnotify.IN_MODIFY);
        assertEquals(w1 + 1, w2, "wds are handed out cyclically");
        assertNotSame(w1, in.addWatch(t, walk("/tmp/b").inode(), Fsnotify.IN_MODIFY));
    }

    private static void assertNotSame(int a, int b) {
        assertTrue(a != b, a + " == " + b);
    }

    @Test
    void directoriesHearOfTheirChildrenWithNames() {
        InotifyFile in = instance();
        int wd = in.addWatch(t, walk("/tmp").inode(), Fsnotify.IN_ALL_EVENTS);
        FileDescription f = create("child");
        Fsnotify.modify(f);
        Location tmp = walk("/tmp");
        tmp.inode().mkdir(t, "d", 0755);
        Fsnotify.created(tmp, "d", walk("/tmp/d").inode());
        assertEquals(List.of(wd + " 100 child", wd + " 20 child", wd + " 2 child", wd + " 40000100 d"), events(in));
    }

    @Test
    void oneshotEndsAfterOneEvent() {
        InotifyFile in = instance();
        FileDescription f = create("a");
        int wd = in.addWatch(t, walk("/tmp/a").inode(), Fsnotify.IN_MODIFY | InotifyFlags.IN_ONESHOT);
        Fsnotify.modify(f);
        Fsnotify.access(f);
        Fsnotify.modify(f);
        assertEquals(List.of(wd + " 2", wd + " 8000"), events(in));
    }

    @Test
    void readBufferMustHoldTheNextEvent() {
        InotifyFile in = instance();
        in.addWatch(t, walk("/tmp").inode(), Fsnotify.IN_CREATE);
        create("name");
        assertEquals(Errno.EINVAL, errno(() -> in.read(t, scratch, 16)));
        assertEquals(Errno.EINVAL, errno(() -> in.read(t, scratch, 31)));
        assertEquals(32, in.read(t, scratch, 32), "16-byte header and the name padded to 16");
        assertEquals(Errno.EAGAIN, errno(() -> in.read(t, scratch, 32)));
    }

    @Test
    void aFullQueueTakesOneOverflowEvent() {
        InotifyFile in = instance();
        FileDescription f = create("a");
        in.addWatch(t, walk("/tmp/a").inode(), Fsnotify.IN_MODIFY | Fsnotify.IN_ACCESS);
        for (int i = 0; i < InotifyLimits.MAX_QUEUED_EVENTS + 10; i++) {
            if (i % 2 == 0) {
                Fsnotify.modify(f);
            } else {
                Fsnotify.access(f);
            }
        }
        List<String> ev = events(in);
        assertEquals(InotifyLimits.MAX_QUEUED_EVENTS + 1, ev.size());
        assertEquals("-1 4000", ev.get(ev.size() - 1));
        Fsnotify.modify(f);
        assertEquals(1, events(in).size(), "a drained queue takes events again");
    }

    @Test
    void unlinkedInodeGoesWhenItsLastOpenFileCloses() {
        InotifyFile in = instance();
        FileDescription f = create("a");
        int fd = t.fds().install(f, 0, false, 1024);
        Inode a = walk("/tmp/a").inode();
        int wd = in.addWatch(t, a, Fsnotify.IN_ALL_EVENTS);
        Location tmp = walk("/tmp");
        Dentry child = tmp.dentry.child(t, "a");
        tmp.inode().unlink(t, "a", false);
        child.markUnlinked();
        Fsnotify.removed(t, tmp, "a", a);
        assertEquals(List.of(wd + " 4"), events(in), "IN_ATTRIB; the open file holds the inode");
        t.fds().close(fd);
        assertEquals(List.of(wd + " 8", wd + " 400", wd + " 8000"), events(in));
        assertTrue(a.watches().isEmpty(), "the ended watch left the inode");
    }

    @Test
    void limitsPerUser() {
        InotifyLimits limits = new InotifyLimits(0);
        assertEquals(8192, limits.maxUserWatches(), "Linux's floor for a small memory");
        InotifyFile in = new InotifyFile(limits, 1000, 0);
        MemFs fs = (MemFs) walk("/tmp").inode().fs();
        for (int i = 0; i < limits.maxUserWatches(); i++) {
            in.addWatch(t, new dev.jvisor.kernel.fs.tmpfs.MemFile(fs, fs.nextIno(), 0644, 0, 0), Fsnotify.IN_MODIFY);
        }
        Inode one = new dev.jvisor.kernel.fs.tmpfs.MemFile(fs, fs.nextIno(), 0644, 0, 0);
        assertEquals(Errno.ENOSPC, errno(() -> in.addWatch(t, one, Fsnotify.IN_MODIFY)));
        assertTrue(new InotifyFile(limits, 1001, 0).addWatch(t, one, Fsnotify.IN_MODIFY) > 0, "another user's count");
        in.release();
        assertTrue(new InotifyFile(limits, 1000, 0).addWatch(t, one, Fsnotify.IN_MODIFY) > 0,
                "closing the instance gave its watches back");
        for (int i = 0; i < InotifyLimits.MAX_USER_INSTANCES; i++) {
            assertTrue(limits.addInstance(7));
        }
        assertTrue(!limits.addInstance(7), "max_user_instances: inotify_init is EMFILE");
        limits.removeInstance(7);
        assertTrue(limits.addInstance(7));
    }

    @Test
    void instanceWithWatchesAndQueuedEventsRoundTrips() throws Exception {
        InotifyFile in = instance();
        int wd = in.addWatch(t, walk("/tmp").inode(), Fsnotify.IN_CREATE | Fsnotify.IN_MODIFY);
        FileDescription f = create("before");
        Fsnotify.modify(f);

        Path file = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        back.memory().attach();
        Task bt = back.tasks().get(0);
        InotifyFile bin = assertInstanceOf(InotifyFile.class, bt.fds().get(0));
        Task saved = t;
        t = bt;
        try {
            assertEquals(PollEvents.POLLIN | PollEvents.POLLRDNORM, bin.readiness(PollEvents.POLLIN));
            assertEquals(List.of(wd + " 100 before", wd + " 2 before"), events(bin));
            create("after");
            assertEquals(List.of(wd + " 100 after"), events(bin), "the restored watch still hears its inode");
        } finally {
            t = saved;
            back.memory().close();
        }
    }
}
