package dev.jvisor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.checkpoint.KernelClassRegistry;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.state.GraphReader;
import dev.jvisor.state.GraphWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials (ids, groups, capability sets, securebits), limits and the per-thread and per-process
 * settings survive a Kryo round trip; and the capability rules of uid changes and exec follow Linux.
 */
class IdentityGraphTest {
    @TempDir
    Path dir;

    @Test
    void identityRoundTrips() throws Exception {
        MemoryFile mf = MemoryFile.create(1L << 26);
        try {
            Kernel k = new Kernel(mf, Map.of(), "box");
            ThreadGroup tg = k.newThreadGroup(null);
            Credentials c = tg.creds;
            c.uid = 1000;
            c.euid = 0;
            c.suid = 7;
            c.fsuid = 8;
            c.setAllGids(20);
            c.fsgid = -5;
            c.setGroups(new int[] {9, 3, -6});
            c.capEffective = 0x20;
            c.capPermitted = 0x30;
            c.capInheritable = 0x10;
            c.capBounding = 0x1f0;
            c.capAmbient = 0x10;
            c.securebits = 0x10;
            tg.limits.set(Limits.RLIMIT_FSIZE, 100, Limits.INFINITY);
            tg.settings.dumpable = 0;
            tg.settings.maxRssKb = 4321;
            tg.settings.childMaxRssKb = 12345;
            Task t = new Task(k, tg.tgid, tg, new MemoryManager(mf, new dev.jvisor.kernel.mm.PageRefs(), 0x7ff000000000L),
                    new FdTable());
            t.settings.comm = "renamed";
            t.settings.nice = -3;
            t.settings.policy = TaskSettings.SCHED_RR;
            t.settings.rtPriority = 9;
            t.settings.resetOnFork = true;
            t.settings.cpuMask = new long[] {1};
            t.settings.timerSlackNs = 777;
            t.pdeathSignal = 10;
            t.settings.noNewPrivs = true;
            t.settings.personality = 0x40000;
            k.addTask(t);

            Path file = dir.resolve("kernel.bin");
            new GraphWriter(new KernelClassRegistry()).write(file, k);
            Kernel back = new GraphReader(new KernelClassRegistry()).read(file, Kernel.class);
            Task bt = back.tasks().get(0);
            Credentials b = bt.threadGroup().creds;
            assertEquals(1000, b.uid);
            assertEquals(7, b.suid);
            assertEquals(8, b.fsuid);
            assertEquals(-5, b.fsgid);
            assertArrayEquals(new int[] {3, 9, -6}, b.groups, "groups stay sorted as unsigned");
            assertEquals(0x20, b.capEffective);
            assertEquals(0x1f0, b.capBounding);
            assertEquals(0x10, b.capAmbient);
            assertEquals(0x10, b.securebits);
            assertEquals(100, bt.threadGroup().limits.soft[Limits.RLIMIT_FSIZE]);
            assertEquals(0, bt.threadGroup().settings.dumpable);
            assertEquals(4321, bt.threadGroup().settings.maxRssKb);
            assertEquals(12345, bt.threadGroup().settings.childMaxRssKb);
            TaskSettings s = bt.settings;
            assertEquals("renamed", s.comm);
            assertEquals(-3, s.nice);
            assertEquals(TaskSettings.SCHED_RR, s.policy);
            assertEquals(9, s.rtPriority);
            assertTrue(s.resetOnFork);
            assertArrayEquals(new long[] {1}, s.cpuMask);
            assertEquals(777, s.timerSlackNs);
            assertEquals(10, bt.pdeathSignal);
            assertTrue(s.noNewPrivs);
            assertEquals(0x40000, s.personality);
        } finally {
            mf.close();
        }
    }

    @Test
    void uidChangesMoveCapabilitiesAsLinuxDoes() {
        Credentials old = new Credentials();
        Credentials n = old.copy();
        n.euid = n.fsuid = 1000;
        n.fixupAfterUidChange(old);
        assertEquals(0, n.capEffective, "effective uid leaving 0 clears the effective set");
        assertEquals(Capabilities.ALL, n.capPermitted, "the saved uid is still 0: permitted stays");

        Credentials all = n.copy();
        all.uid = all.suid = 1000;
        all.fixupAfterUidChange(n);
        assertEquals(0, all.capPermitted, "no uid 0 left: permitted goes");

        Credentials keep = n.copy();
        keep.securebits = 1 << Credentials.SECURE_KEEP_CAPS;
        Credentials k2 = keep.copy();
        k2.uid = k2.suid = 1000;
        k2.fixupAfterUidChange(keep);
        assertEquals(Capabilities.ALL, k2.capPermitted, "SECURE_KEEP_CAPS keeps permitted");

        Credentials back = n.copy();
        back.euid = 0;
        back.fixupAfterUidChange(n);
        assertEquals(Capabilities.ALL, back.capEffective, "euid back to 0 restores effective from permitted");

        Credentials fs = old.copy();
        fs.fsuid = 5;
        fs.fixupAfterFsuidChange(0);
        assertEquals(Capabilities.ALL & ~Capabilities.FS_SET, fs.capEffective);
        fs.fsuid = 0;
        fs.fixupAfterFsuidChange(5);
        assertEquals(Capabilities.ALL, fs.capEffective);
    }

    @Test
    void settingsForAChild() {
        TaskSettings s = new TaskSettings();
        s.policy = TaskSettings.SCHED_FIFO;
        s.rtPriority = 5;
        s.nice = -4;
        s.resetOnFork = true;
        s.timerSlackNs = 1000;
        TaskSettings c = s.forChild("parent");
        assertEquals(TaskSettings.SCHED_NORMAL, c.policy, "SCHED_RESET_ON_FORK");
        assertEquals(0, c.nice);
        assertEquals(1000, c.defaultTimerSlackNs, "a child's default slack is its creator's slack");
        assertEquals("parent", c.comm);
        ProcessSettings p = new ProcessSettings();
        p.dumpable = 0;
        p.maxRssKb = 100;
        assertEquals(0, p.forChild().dumpable);
        assertEquals(0, p.forChild().maxRssKb);
        ProcessSettings parent = new ProcessSettings();
        parent.addReapedChild(p);
        assertEquals(100, parent.childMaxRssKb);
        assertNull(new TaskSettings().comm);
    }
}
