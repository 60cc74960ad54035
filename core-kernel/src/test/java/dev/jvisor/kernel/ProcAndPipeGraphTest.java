package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.fs.pipe.PipeInode;
import dev.jvisor.kernel.fs.proc.CpuIdentity;
import dev.jvisor.kernel.fs.proc.ProcFile;
import dev.jvisor.kernel.fs.proc.ProcFileDescription;
import dev.jvisor.kernel.fs.proc.ProcFs;
import dev.jvisor.kernel.fs.proc.ProcLink;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.DirEntry;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * procfs through the VFS (path walks, magic links, generated contents) and pipes in a kernel with
 * no host side, and a Kryo round trip of both with data in flight.
 */
class ProcAndPipeGraphTest {
    @TempDir
    Path dir;

    private MemoryFile mf;
    private Kernel k;
    private Task t;
    private long scratch;

    @BeforeEach
    void setUp() {
        mf = MemoryFile.create(1L << 30);
        k = new Kernel(mf, Map.of("vendor", "GenuineIntel", "1.edx", "178bfbff", "1.ecx", "7ed8320b"), "box");
        MemFs rootFs = new MemFs(k.allocateDev(), mf, "tmpfs", 0755);
        MemDir root = (MemDir) rootFs.root();
        root.addEntry("proc", new MemDir(rootFs, rootFs.nextIno(), 0555, 0, 0));
        root.addEntry("tmp", new MemDir(rootFs, rootFs.nextIno(), 01777, 0, 0));
        MountNamespace ns = new MountNamespace(rootFs, false, "rootfs");
        k.setMounts(ns);
        ns.mount(new Location(ns.root(), ns.rootLocation().dentry.child(null, "proc")),
                new ProcFs(k.allocateDev(), CpuIdentity.generic("GenuineIntel")), false, "proc");

        ThreadGroup tg = k.newThreadGroup(null);
        tg.exePath = "/bin/x";
        tg.argv = List.of("x", "y");
        MemoryManager mm = new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L);
        long stack = mm.mmapAnonymous(0x30000000L, 1 << 16, 3, 0x22 | 0x10, "[stack]");
        byte[] strings = "x\0y\0A=1\0".getBytes(StandardCharsets.US_ASCII);
        mm.copyOut(stack + 0x8000, strings, 0, strings.length);
        tg.argStart = stack + 0x8000;
        tg.argEnd = tg.argStart + 4;
        tg.envStart = tg.argEnd;
        tg.envEnd = tg.envStart + 4;
        tg.auxv = new long[] {6, 4096, 0, 0};
        scratch = stack;
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

    private Location walk(Task task, String path, boolean follow) {
        return PathResolver.resolve(task, task.fsContext().cwd, path, follow);
    }

    /** Reads a whole proc file as the task would: open, read through app memory. */
    private String readFile(Task task, String path) {
        Location l = walk(task, path, true);
        FileDescription f = l.inode().open(task, l, FileMode.O_RDONLY);
        StringBuilder sb = new StringBuilder();
        while (true) {
            long n = f.read(task, scratch, 4096);
            if (n == 0) {
                return sb.toString();
            }
            sb.append(new String(task.mm().read(scratch, (int) n), StandardCharsets.ISO_8859_1));
        }
    }

    private int install(FileDescription f) {
        return t.fds().install(f, 0, false, 1024);
    }

    private static int errno(Runnable r) {
        return assertThrows(SyscallException.class, r::run).errno;
    }

    @Test
    void procShowsTheProcess() {
        List<String> names = walk(t, "/proc", true).inode().readdir(t).stream().map(e -> e.name)
                .collect(Collectors.toList());
        assertTrue(names.containsAll(List.of("1", "self", "thread-self", "cpuinfo", "meminfo", "sys", "mounts")), names::toString);
        assertEquals("1", walk(t, "/proc/self", false).inode().readlink(t));
        assertEquals("1/task/1", walk(t, "/proc/thread-self", false).inode().readlink(t));
        assertEquals("/bin/x", walk(t, "/proc/self/exe", false).inode().readlink(t));
        assertEquals("/", walk(t, "/proc/self/cwd", false).inode().readlink(t));
        assertSame(t.fsContext().root.dentry, walk(t, "/proc/self/root", true).dentry, "a magic link leads to the object");

        String status = readFile(t, "/proc/self/status");
        assertTrue(status.startsWith("Name:\tx\nUmask:\t0022\nState:\tR (running)\nTgid:\t1\n"), status);
        assertTrue(status.contains("\nVmStk:\t      64 kB\n"), status);
        assertTrue(status.contains("\nThreads:\t1\n"), status);
        assertEquals("x\0y\0", readFile(t, "/proc/1/cmdline"));
        assertEquals("A=1\0", readFile(t, "/proc/self/environ"));
        assertEquals("x\n", readFile(t, "/proc/self/comm"));
        assertEquals("x\n", readFile(t, "/proc/thread-self/comm"));
        assertTrue(readFile(t, "/proc/1/task/1/status").contains("\nPid:\t1\n"));
        String stat = readFile(t, "/proc/self/stat");
        assertTrue(stat.startsWith("1 (x) R 0 1 1 0 -1 "), stat);
        assertEquals(52, stat.trim().split(" ").length, stat);
        String maps = readFile(t, "/proc/self/maps");
        assertEquals("30000000-30010000 rw-p 00000000 00:00 0" + " ".repeat(34) + "[stack]\n", maps);
        byte[] auxv = readFile(t, "/proc/self/auxv").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(6, ByteBuffer.wrap(auxv).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals("proc /proc proc rw,relatime 0 0\n", readFile(t, "/proc/mounts").lines()
                .filter(l -> l.contains("/proc")).findFirst().orElse("") + "\n");
        assertTrue(readFile(t, "/proc/self/mountinfo").contains(" / /proc rw,relatime - proc proc rw\n"));
        assertTrue(readFile(t, "/proc/self/limits").contains("Max open files            1024                 1048576              files     \n"));
        assertEquals("box\n", readFile(t, "/proc/sys/kernel/hostname"));
        assertEquals(k.release() + "\n", readFile(t, "/proc/sys/kernel/osrelease"));
        String cpuinfo = readFile(t, "/proc/cpuinfo");
        assertTrue(cpuinfo.contains("vendor_id\t: GenuineIntel\n"), cpuinfo);
        assertTrue(cpuinfo.contains("flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
                + "clflush mmx fxsr sse sse2 ht pni"), cpuinfo);
        assertTrue(readFile(t, "/proc/meminfo").startsWith("MemTotal:        1048576 kB\n"));
        assertTrue(readFile(t, "/proc/uptime").matches("[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}\n"));
        assertEquals(Errno.ENOENT, errno(() -> walk(t, "/proc/2", true)));
        assertEquals(Errno.ENOENT, errno(() -> walk(t, "/proc/self/nothing", true)));
    }

    @Test
    void procFilesAreReadOnly() {
        Location l = walk(t, "/proc/self/status", true);
        FileDescription f = l.inode().open(t, l, FileMode.O_RDWR);
        assertEquals(Errno.EINVAL, errno(() -> f.write(t, scratch, 1)));
        assertEquals(Errno.EACCES, errno(() -> l.inode().open(t, l, FileMode.O_WRONLY | FileMode.O_TRUNC)));
        assertEquals(Errno.EACCES, errno(() -> walk(t, "/proc", true).inode().create(t, "x", 0644)));
    }

    @Test
    void fdDirectoryFollowsTheFdTable() {
        PipeFileDescription[] ends = PipeFileDescription.newPipe(t, k.pipeFs(), 0);
        int r = install(ends[0]);
        int w = install(ends[1]);
        long ino = ends[0].inode().ino();
        assertEquals("pipe:[" + ino + "]", walk(t, "/proc/self/fd/" + r, false).inode().readlink(t));
        Location via = walk(t, "/proc/self/fd/" + w, true);
        assertInstanceOf(PipeInode.class, via.inode(), "following fd/N of a pipe leads to the pipe");
        FileDescription again = via.inode().open(t, via, FileMode.O_WRONLY);
        assertEquals(2, ends[0].pipe().writers(), "reopening adds a writer");
        again.release();
        assertEquals(1, ends[0].pipe().writers());

        Location fdDir = walk(t, "/proc/self/fd", true);
        List<String> names = fdDir.inode().readdir(t).stream().map(e -> e.name).collect(Collectors.toList());
        assertEquals(List.of("0", "1", "2"), names);
        DirEntry link = fdDir.inode().readdir(t).get(1);
        assertEquals(FileMode.DT_LNK, link.type);
        assertEquals(FileMode.S_IFLNK | 0500, walk(t, "/proc/self/fd/" + r, false).inode().mode(), "lr-x------");
        assertEquals(FileMode.S_IFLNK | 0300, walk(t, "/proc/self/fd/" + w, false).inode().mode(), "l-wx------");
        String info = readFile(t, "/proc/self/fdinfo/" + w);
        assertEquals("pos:\t0\nflags:\t01\nmnt_id:\t0\nino:\t" + ino + "\n", info);
        t.fds().close(w);
        assertEquals(Errno.ENOENT, errno(() -> walk(t, "/proc/self/fd/" + w, false)), "a closed fd is gone at once");
        assertEquals(0, ends[0].pipe().writers());
    }

    @Test
    void pipesAndProcRoundTripWithDataInFlight() throws Exception {
        PipeFileDescription[] ends = PipeFileDescription.newPipe(t, k.pipeFs(), FileMode.O_NONBLOCK);
        install(ends[0]);
        install(ends[1]);
        byte[] msg = "in flight".getBytes(StandardCharsets.US_ASCII);
        t.mm().copyOut(scratch, msg, 0, msg.length);
        assertEquals(msg.length, ends[1].write(t, scratch, msg.length));
        // a FIFO with a byte in it, open read-write
        Location tmp = walk(t, "/tmp", true);
        tmp.inode().mknod(t, "fifo", FileMode.S_IFIFO | 0600, 0);
        Location fifo = walk(t, "/tmp/fifo", true);
        FileDescription ff = fifo.inode().open(t, fifo, FileMode.O_RDWR);
        int fifoFd = install(ff);
        t.mm().copyOut(scratch, new byte[] {'F'}, 0, 1);
        ff.write(t, scratch, 1);
        // an open proc file, partly read, and a cwd inside /proc
        Location st = walk(t, "/proc/self/status", true);
        FileDescription pf = st.inode().open(t, st, FileMode.O_RDONLY);
        int procFd = install(pf);
        assertEquals(6, pf.read(t, scratch, 6));
        t.fsContext().cwd = walk(t, "/proc/self/fd", true);
        // O_PATH descriptions hold a /proc/PID/task directory and what /proc/self/fd/0 (host stdio) leads to
        int taskFd = install(new dev.jvisor.kernel.vfs.PathDescription(walk(t, "/proc/self/task", true), FileMode.O_PATH));
        int stdioFd = install(new dev.jvisor.kernel.vfs.PathDescription(walk(t, "/proc/self/fd/0", true), FileMode.O_PATH));

        Path file = dir.resolve("kernel.bin");
        new GraphWriter(new KernelClassRegistry()).write(file, k);
        Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
        back.memory().attach();
        try {
            Task bt = back.tasks().get(0);
            PipeFileDescription br = assertInstanceOf(PipeFileDescription.class, bt.fds().get(1));
            PipeFileDescription bw = assertInstanceOf(PipeFileDescription.class, bt.fds().get(2));
            assertSame(br.pipe(), bw.pipe(), "both ends share one pipe");
            assertEquals(msg.length, br.pipe().available());
            assertEquals(ends[0].inode().ino(), br.inode().ino());
            byte[] got = new byte[32];
            assertEquals(msg.length, br.readBytes(bt, got, 0, 32));
            assertArrayEquals(msg, java.util.Arrays.copyOf(got, msg.length));
            assertEquals(Errno.EAGAIN, errno(() -> br.readBytes(bt, got, 0, 32)));
            assertEquals(3, bw.writeBytes(bt, "new".getBytes(StandardCharsets.US_ASCII), 0, 3), "the restored pipe works");

            PipeFileDescription bf = assertInstanceOf(PipeFileDescription.class, bt.fds().get(fifoFd));
            assertEquals(1, bf.readBytes(bt, got, 0, 1));
            assertEquals('F', got[0]);
            assertEquals("/tmp/fifo", PathResolver.pathOf(bf.location(), bt.fsContext().root));

            ProcFileDescription bp = assertInstanceOf(ProcFileDescription.class, bt.fds().get(procFd));
            assertEquals(6, bp.offset());
            long n = bp.read(bt, scratch, 4);
            assertEquals("x\nUm", new String(bt.mm().read(scratch, (int) n), StandardCharsets.US_ASCII),
                    "the open proc file keeps its contents and offset");
            assertEquals("/proc/1/fd", PathResolver.pathOf(bt.fsContext().cwd, bt.fsContext().root));
            ProcFs procFs = (ProcFs) back.mounts().mounts().get(1).fs;
            assertEquals("GenuineIntel", procFs.cpu().vendor);
            assertInstanceOf(ProcLink.class, PathResolver.resolve(bt, bt.fsContext().root, "/proc/self", false).inode());
            assertInstanceOf(ProcFile.class, PathResolver.resolve(bt, bt.fsContext().root, "/proc/self/maps", true).inode());
            assertInstanceOf(dev.jvisor.kernel.fs.proc.TaskDir.class, bt.fds().get(taskFd).location().inode());
            assertEquals(List.of("1"), bt.fds().get(taskFd).location().inode().readdir(bt).stream().map(e -> e.name)
                    .collect(Collectors.toList()));
            assertInstanceOf(dev.jvisor.kernel.fs.host.HostStdioNode.class, bt.fds().get(stdioFd).location().inode());
            assertNotEquals(0, back.pipeFs().dev());
            assertSame(back.pipeFs(), br.inode().fs(), "pipe inodes stay on the kernel's pipefs");
        } finally {
            back.memory().close();
        }
    }
}
