package dev.jvisor.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.MemoryFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A file's mapping count equals the number of VMAs naming it through every VMA operation (mmap,
 * split, merge, munmap, mprotect, mremap, fork, MAP_FIXED replacement, exit), and an unnamed,
 * closed tmpfs file's pages go back to the memory file with its last mapping, not before.
 */
class MappingCountTest {
    private static final long MAX = 0x7ff000000000L;
    private static final long PAGE = 4096;
    private static final int RW = MemoryManager.PROT_READ | MemoryManager.PROT_WRITE;
    private static final int SHARED = MemoryManager.MAP_SHARED;
    private static final int FIXED = MemoryManager.MAP_FIXED;
    private MemoryFile memory;
    private PageRefs refs;
    private MemFs fs;
    private MemoryManager mm;

    @BeforeEach
    void setUp() {
        memory = MemoryFile.create(1L << 30);
        refs = new PageRefs();
        fs = new MemFs(1, memory, "tmpfs", 01777);
        mm = space();
    }

    @AfterEach
    void tearDown() {
        memory.close();
    }

    private MemoryManager space() {
        MemoryManager m = new MemoryManager(memory, refs, MAX);
        m.setMmapBase(0x7f0000000000L);
        return m;
    }

    /** A file with no name and no open description, as memfd_create's after close or MAP_SHARED|MAP_ANONYMOUS. */
    private MemFile unnamed(long size) {
        MemFile f = new MemFile(fs, fs.nextIno(), 0600, 0, 0);
        f.markUnnamed();
        f.truncate(null, size);
        return f;
    }

    private long used() {
        return memory.allocator().allocatedBytes();
    }

    /** How many VMAs of {@code m} map {@code f}: what the count must equal. */
    private static int vmasOf(MemoryManager m, MemFile f) {
        return (int) m.vmas().stream().filter(v -> v.file == f).count();
    }

    @Test
    void countFollowsSplitsMergesAndUnmaps() {
        MemFile f = unnamed(16 * PAGE);
        long a = mm.mmapFile(0x40000000L, 16 * PAGE, RW, SHARED | FIXED, f, 0, "f");
        assertEquals(1, f.mappings());
        mm.munmap(a + 4 * PAGE, PAGE);
        assertEquals(2, f.mappings(), "a hole splits the VMA in two");
        mm.mprotect(a + 8 * PAGE, PAGE, MemoryManager.PROT_READ);
        assertEquals(4, f.mappings());
        assertEquals(vmasOf(mm, f), f.mappings());
        mm.mprotect(a + 8 * PAGE, PAGE, RW);
        assertEquals(2, f.mappings(), "the same protection again merges them back");
        // Mapping the hole again at its file offset joins everything into one VMA.
        mm.mmapFile(a + 4 * PAGE, PAGE, RW, SHARED | FIXED, f, 4 * PAGE, "f");
        assertEquals(1, f.mappings());
        // MAP_FIXED over part of it with anonymous memory replaces that part.
        mm.mmapAnonymous(a, 2 * PAGE, RW, MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS | FIXED, "");
        assertEquals(1, f.mappings());
        assertEquals(vmasOf(mm, f), f.mappings());
        mm.munmap(a, 16 * PAGE);
        assertEquals(0, f.mappings());
    }

    @Test
    void lastUnmapFreesAnUnnamedClosedFile() {
        long base = used();
        MemFile f = unnamed(1 << 20);
        long a = mm.mmapFile(0, 1 << 20, RW, SHARED, f, 0, "f");
        for (long off = 0; off < 1 << 20; off += PAGE) {
            mm.writeInt(a + off, (int) off);
        }
        assertEquals(base + (1 << 20), used());
        mm.munmap(a, PAGE);
        assertEquals(base + (1 << 20), used(), "still mapped: the pages stay");
        assertEquals(8192, mm.readInt(a + 2 * PAGE));
        mm.munmap(a + PAGE, (1 << 20) - PAGE);
        assertEquals(base, used(), "the last mapping took the pages with it");
    }

    @Test
    void aNamedOrOpenFileKeepsItsPages() {
        long base = used();
        MemFile f = new MemFile(fs, fs.nextIno(), 0600, 0, 0);
        f.truncate(null, 4 * PAGE);
        long a = mm.mmapFile(0, 4 * PAGE, RW, SHARED, f, 0, "f");
        mm.writeInt(a, 7);
        mm.munmap(a, 4 * PAGE);
        assertEquals(base + PAGE, used(), "a named file's contents outlive its mappings");
        long b = mm.mmapFile(0, 4 * PAGE, RW, SHARED, f, 0, "f");
        assertEquals(7, mm.readInt(b));
        f.dropLink();
        assertEquals(base + PAGE, used(), "unlinked but mapped");
        mm.munmap(b, 4 * PAGE);
        assertEquals(base, used());
    }

    @Test
    void privateMappingsCountToo() {
        MemFile f = unnamed(4 * PAGE);
        long a = mm.mmapFile(0, 4 * PAGE, RW, MemoryManager.MAP_PRIVATE, f, 0, "f");
        assertEquals(1, f.mappings());
        mm.munmap(a, 4 * PAGE);
        assertEquals(0, f.mappings());
    }

    @Test
    void forkChildKeepsASharedMappingAlive() {
        long base = used();
        MemFile f = unnamed(4 * PAGE);
        long a = mm.mmapFile(0, 4 * PAGE, RW, SHARED, f, 0, "f");
        mm.writeInt(a + PAGE, 42);
        MemoryManager child = mm.fork();
        assertEquals(2, f.mappings());
        mm.munmap(a, 4 * PAGE);
        assertEquals(1, f.mappings());
        assertEquals(42, child.readInt(a + PAGE), "the child still sees the parent's write");
        child.writeInt(a + 2 * PAGE, 43);
        child.releaseAll();
        assertEquals(0, f.mappings());
        assertEquals(base, used());
    }

    @Test
    void mremapMovesTheMappingWithoutDroppingTheFile() {
        long base = used();
        MemFile f = unnamed(8 * PAGE);
        long a = mm.mmapFile(0x50000000L, 2 * PAGE, RW, SHARED | FIXED, f, 0, "f");
        mm.writeInt(a, 5);
        // Something right after it forces the growing remap to move.
        mm.mmapAnonymous(a + 2 * PAGE, PAGE, RW, MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS | FIXED, "");
        long b = mm.mremap(a, 2 * PAGE, 4 * PAGE, 1, 0);
        assertTrue(b != a);
        assertEquals(1, f.mappings());
        assertEquals(5, mm.readInt(b), "the file was not freed while the mapping moved");
        assertEquals(base + PAGE, used());
        // Grow in place, then shrink: still one VMA.
        long c = mm.mremap(b, 4 * PAGE, 6 * PAGE, 0, 0);
        assertEquals(b, c);
        mm.mremap(b, 6 * PAGE, PAGE, 0, 0);
        assertEquals(1, f.mappings());
        assertEquals(vmasOf(mm, f), f.mappings());
        mm.munmap(b, PAGE);
        assertEquals(base, used());
    }

    @Test
    void exitReleasesEveryMapping() {
        long base = used();
        MemFile f = unnamed(4 * PAGE);
        long a = mm.mmapFile(0, 4 * PAGE, RW, SHARED, f, 0, "f");
        mm.mmapFile(0, 4 * PAGE, MemoryManager.PROT_READ, MemoryManager.MAP_PRIVATE, f, 0, "f");
        mm.mprotect(a + PAGE, PAGE, MemoryManager.PROT_READ);
        mm.writeInt(a, 1);
        assertEquals(4, f.mappings());
        mm.releaseAll();
        assertEquals(0, f.mappings());
        assertEquals(base, used());
    }

    /** With threads sharing the space, the pages wait until every thread's host mappings are updated. */
    @Test
    void threadedSpaceDefersTheFree() {
        mm.attachHost(new NullHost());
        mm.markSharedByThreads();
        long base = used();
        MemFile f = unnamed(4 * PAGE);
        long a = mm.mmapFile(0, 4 * PAGE, RW, SHARED, f, 0, "f");
        mm.writeInt(a, 1);
        mm.munmap(a, 4 * PAGE);
        assertTrue(mm.hasDeferredFrees());
        assertEquals(base + PAGE, used());
        mm.releaseDeferred();
        assertFalse(mm.hasDeferredFrees());
        assertEquals(base, used());
    }

    private static final class NullHost implements AddressSpace {
        @Override
        public void map(long addr, long len, long off, int prot) {}

        @Override
        public void unmap(long addr, long len) {}

        @Override
        public void protect(long addr, long len, int prot) {}

        @Override
        public void flush(Context stopped) {}

        @Override
        public boolean cpuidFaulting() {
            return false;
        }

        @Override
        public Context mainContext() {
            return null;
        }

        @Override
        public void release() {}
    }
}
