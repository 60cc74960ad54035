package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.syscalls.SleepRestart;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.Reg;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class reachable from {@link Kernel} survives a Kryo round trip with its references intact. */
class KernelGraphRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void kernelGraphRoundTrips() throws Exception {
        MemoryFile mf = MemoryFile.create(1L << 30);
        try {
            Kernel k = new Kernel(mf, Map.of("1.ecx", "0000abcd", "d.ebx", "00000340"), "box");
            ThreadGroup tg = k.newThreadGroup(null);
            tg.exePath = "/bin/x";
            tg.argv = java.util.List.of("x", "y");
            tg.signalActions.handler[2] = 0x401000;
            tg.limits.set(Limits.RLIMIT_NOFILE, 10, 20);
            tg.exitStatus = ExitStatus.killed(6);
            MemoryManager mm = new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L);
            mm.setBrkStart(0x500000);
            mm.brk(0x520000);
            long a = mm.mmapAnonymous(0x30000000L, 1 << 20, 3, 0x22 | 0x10, "[stack]");
            mm.copyOut(a + 100, new byte[] {42}, 0, 1);
            FdTable fds = new FdTable();
            HostStdioFile out = new HostStdioFile(1, 1);
            fds.set(1, out, false);
            fds.set(2, out, true);
            HostStdioFile owned = HostStdioFile.owning((int) dev.jvisor.platform.host.Libc.syscall(32 /* dup */, 1, 0, 0, 0, 0, 0), 1);
            fds.set(3, owned, false);
            Task t = new Task(k, 1, tg, mm, fds);
            t.cpu().set(Reg.RIP, 0x401234);
            t.cpu().fsBase = 0x4ac380;
            t.cpu().fpState = new byte[] {1, 2, 3};
            t.restart = new SleepRestart(123456789L);
            t.signalMask = 0x4000;
            k.addTask(t);

            Path file = dir.resolve("kernel.bin");
            new GraphWriter(new KernelClassRegistry()).write(file, k);
            Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);

            assertEquals("box", back.hostname());
            assertEquals("0000abcd", back.cpuFeatures().get("1.ecx"));
            Task bt = back.tasks().get(0);
            assertSame(back, bt.kernel, "back references are kept");
            assertEquals(0x401234, bt.cpu().get(Reg.RIP));
            assertEquals(0x4ac380, bt.cpu().fsBase);
            assertArrayEquals(new byte[] {1, 2, 3}, bt.cpu().fpState);
            assertInstanceOf(SleepRestart.class, bt.restart);
            assertEquals(0x4000, bt.signalMask);
            assertEquals("/bin/x", bt.threadGroup().exePath);
            assertEquals(0x401000, bt.threadGroup().signalActions.handler[2]);
            assertEquals(10, bt.threadGroup().limits.soft[Limits.RLIMIT_NOFILE]);
            assertEquals(134, bt.threadGroup().exitStatus.shellCode());
            assertSame(bt.fds().get(1), bt.fds().get(2), "shared open file descriptions stay shared");
            assertEquals(true, bt.fds().closeOnExec(2));
            // A host fd the Sentry opened for one process (exec's stdio) means nothing after a restore.
            assertEquals(144, owned.stat(null).length);
            SyscallException gone = org.junit.jupiter.api.Assertions.assertThrows(SyscallException.class,
                    () -> bt.fds().get(3).stat(null));
            assertEquals(Errno.EIO, gone.errno);
            owned.release();
            assertEquals(Errno.EIO, org.junit.jupiter.api.Assertions.assertThrows(SyscallException.class,
                    () -> owned.stat(null)).errno);
            MemoryManager bm = bt.mm();
            assertSame(back.memory(), bm.memoryFile());
            assertEquals(mm.vmas().size(), bm.vmas().size());
            assertEquals("[stack]", bm.vmaAt(a).name);
            assertEquals(0x520000, bm.brk(0));
            assertEquals(mm.populatedBytes(), bm.populatedBytes());
            assertEquals(mf.allocator().allocatedBytes(), back.memory().allocator().allocatedBytes());
            // The memory file's contents travel separately (page chunks): attach a fresh one and copy.
            back.memory().attach();
            try {
                for (long[] r : mf.populatedRanges()) {
                    byte[] buf = new byte[(int) r[1]];
                    mf.read(r[0], buf, 0, buf.length);
                    back.memory().write(r[0], buf, 0, buf.length);
                }
                assertEquals(42, bm.read(a + 100, 1)[0]);
            } finally {
                back.memory().close();
            }
            assertEquals(true, Files.size(file) < 4096, "the graph stays small: " + Files.size(file));
        } finally {
            mf.close();
        }
    }
}
