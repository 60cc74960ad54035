package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.gofer.Export;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.gofer.GoferServer;
import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.gofer.BindMounts;
import dev.jvisor.kernel.fs.gofer.GoferFileDescription;
import dev.jvisor.kernel.fs.gofer.GoferFs;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MountNamespace;
import dev.jvisor.kernel.vfs.MountRecord;
import dev.jvisor.kernel.vfs.PathResolver;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bind mount served by an in-process gofer, through the VFS as a task uses it: walks, creates,
 * reads and writes through app memory, renames, host-side changes seen on the next look-up, the mount
 * record, and a Kryo round trip of the kernel with a half-read open file that goes on reading, by
 * path, through a new gofer connection.
 */
class BindMountGraphTest {
    @TempDir
    Path tmp;

    private Path host;
    private MemoryFile mf;
    private Kernel k;
    private Task t;
    private long scratch;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        host = Files.createDirectory(tmp.resolve("export"));
        Files.writeString(host.resolve("hello.txt"), "hello, bind mount\n");
        Files.createDirectory(host.resolve("sub"));
        Files.writeString(tmp.resolve("secret"), "outside");
        mf = MemoryFile.create(1L << 30);
        k = new Kernel(mf, Map.of("vendor", "GenuineIntel"), "box");
        MemFs rootFs = new MemFs(k.allocateDev(), mf, "tmpfs", 0755);
        ((MemDir) rootFs.root()).addEntry("data", new MemDir(rootFs, rootFs.nextIno(), 0755, 0, 0));
        MountNamespace ns = new MountNamespace(rootFs, false, "rootfs");
        k.setMounts(ns);
        GoferFs fs = new GoferFs(k.allocateDev(), "bind0", host.toString(), false, "/data", connect(), line -> { });
        ns.mount(new Location(ns.root(), ns.rootLocation().dentry.child(null, "data")), fs, false, "none");

        ThreadGroup tg = k.newThreadGroup(null);
        MemoryManager mm = new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L);
        scratch = mm.mmapAnonymous(0x30000000L, 1 << 16, 3, 0x22 | 0x10, "scratch");
        t = new Task(k, 1, tg, mm, new FdTable());
        Location r = ns.rootLocation();
        t.setFsContext(new FsContext(r, r));
        k.addTask(t);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        mf.close();
    }

    /** A client connected to a new in-process gofer serving the export as "bind0". */
    private GoferClient connect() throws IOException {
        Path sock = tmp.resolve("gofer-" + closing.size() + ".sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            SocketChannel accepted = server.accept();
            Thread th = new Thread(new GoferServer(accepted, List.of(new Export("bind0", host, false))), "gofer-test");
            th.setDaemon(true);
            th.start();
            GoferClient c = new GoferClient(client, Duration.ofSeconds(10));
            closing.add(c);
            return c;
        }
    }

    private Location walk(String path) {
        return PathResolver.resolve(t, t.fsContext().cwd, path, true);
    }

    private FileDescription open(String path, int flags) {
        Location l = walk(path);
        return l.inode().open(t, l, flags);
    }

    private String read(FileDescription f, int n) {
        long got = f.read(t, scratch, n);
        return new String(t.mm().read(scratch, (int) got), StandardCharsets.UTF_8);
    }

    private long write(FileDescription f, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        t.mm().copyOut(scratch, b, 0, b.length);
        return f.write(t, scratch, b.length);
    }

    @Test
    void filesReadAndWrittenThroughTheVfsAreTheHostsFiles() throws IOException {
        FileDescription f = open("/data/hello.txt", FileMode.O_RDONLY);
        assertEquals("hello, ", read(f, 7));
        assertEquals("bind mount\n", read(f, 100));

        Location dir = walk("/data/sub");
        dir.inode().create(t, "new.txt", 0640);
        FileDescription w = open("/data/sub/new.txt", FileMode.O_RDWR);
        assertEquals(5, write(w, "fresh"));
        assertEquals("fresh", Files.readString(host.resolve("sub/new.txt")));
        assertEquals(0640, (Integer) Files.getAttribute(host.resolve("sub/new.txt"), "unix:mode") & 07777);

        // The host appends; SEEK_END sees it.
        Files.writeString(host.resolve("sub/new.txt"), "+host", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(10, w.seek(t, 0, 2));

        walk("/data").inode().rename(t, "sub", walk("/data").inode(), "moved");
        walk("/data").dentry.drop("sub");
        assertTrue(Files.isRegularFile(host.resolve("moved/new.txt")));
        assertEquals(3, write(w, "abc"), "an open file follows its directory's rename");
        assertEquals("fresh+hostabc", Files.readString(host.resolve("moved/new.txt")));
        w.release();
    }

    @Test
    void hostChangesShowOnTheNextLookup() throws IOException {
        Location first = walk("/data/hello.txt");
        Files.delete(host.resolve("hello.txt"));
        assertEquals(Errno.ENOENT, assertThrows(SyscallException.class, () -> walk("/data/hello.txt")).errno);
        Files.writeString(host.resolve("hello.txt"), "replaced");
        Location again = walk("/data/hello.txt");
        assertNotSame(first.inode(), again.inode(), "another host file, another inode");
        assertEquals(8, again.inode().size(t));
        assertSame(again.inode(), walk("/data/hello.txt").inode(), "an unchanged name keeps its inode");
    }

    @Test
    void dotDotAtTheMountRootLeadsToTheMountPointsParent() {
        Location up = walk("/data/sub/../..");
        assertSame(t.fsContext().root.dentry, up.dentry);
        assertEquals(Errno.ENOENT, assertThrows(SyscallException.class, () -> walk("/data/../secret")).errno);
    }

    @Test
    void fifosAndSocketsMadeInTheSandboxStayInTheSentry() {
        Location sub = walk("/data/sub");
        sub.inode().mknod(t, "fifo", FileMode.S_IFIFO | 0600, 0);
        assertEquals(FileMode.S_IFIFO, walk("/data/sub/fifo").inode().type());
        assertTrue(sub.inode().readdir(t).stream().anyMatch(e -> e.name.equals("fifo") && e.type == FileMode.DT_FIFO));
        assertFalse(Files.exists(host.resolve("sub/fifo"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "never on the host");
        assertEquals(Errno.EEXIST, assertThrows(SyscallException.class,
                () -> sub.inode().mknod(t, "fifo", FileMode.S_IFSOCK | 0600, 0)).errno);
        assertEquals(Errno.ENOTEMPTY, assertThrows(SyscallException.class,
                () -> walk("/data").inode().unlink(t, "sub", true)).errno);
        sub.inode().unlink(t, "fifo", false);
        sub.dentry.drop("fifo");
        walk("/data").inode().unlink(t, "sub", true);
        assertFalse(Files.exists(host.resolve("sub")));
    }

    @Test
    void mountRecordsNameTheHostSource() {
        List<MountRecord> records = k.mounts().records();
        assertEquals(new MountRecord("/", "tmpfs", null, false), records.get(0));
        assertEquals(new MountRecord("/data", "9p", host.toString(), false), records.get(1));
    }

    @Test
    void anOpenFileSurvivesAGraphRoundTripAndIsReopenedByPath() throws Exception {
        FileDescription f = open("/data/hello.txt", FileMode.O_RDWR);
        t.fds().install(f, 3, false, 1024);
        assertEquals("hello, ", read(f, 7));
        k.beforeCheckpoint();
        Path hello = host.resolve("hello.txt");
        long mtime = Files.getLastModifiedTime(hello).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        assertEquals(List.of(new BindMounts.HeldFile("/data/hello.txt", hello.toString(),
                (Long) Files.getAttribute(hello, "unix:ino"), 18, mtime)), BindMounts.heldFiles(k));

        Path file = tmp.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        back.memory().attach();
        try {
            List<GoferFs> binds = BindMounts.of(back);
            assertEquals(1, binds.size());
            GoferFs fs = binds.get(0);
            assertFalse(fs.attached());
            fs.attach(connect(), line -> { });
            assertTrue(BindMounts.problems(back).isEmpty(), () -> BindMounts.problems(back).toString());

            Task bt = back.tasks().get(0);
            GoferFileDescription bf = assertInstanceOf(GoferFileDescription.class, bt.fds().get(3));
            long got = bf.read(bt, scratch, 100);
            assertEquals("bind mount\n", new String(bt.mm().read(scratch, (int) got), StandardCharsets.UTF_8));

            Files.writeString(host.resolve("hello.txt"), "changed");
            assertEquals(List.of("/data/hello.txt changed on the host since the checkpoint"),
                    new ArrayList<>(BindMounts.problems(back)));
        } finally {
            back.memory().close();
        }
    }
}
