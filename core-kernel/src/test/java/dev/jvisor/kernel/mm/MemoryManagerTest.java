package dev.jvisor.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.platform.AddressSpace;
import dev.jvisor.platform.Context;
import dev.jvisor.platform.MemoryFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VMA bookkeeping and lazy population against Linux's mmap/munmap/mprotect/brk semantics. */
class MemoryManagerTest {
    private static final long MAX = 0x7ff000000000L;
    private static final int RW = MemoryManager.PROT_READ | MemoryManager.PROT_WRITE;
    private static final int ANON = MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS;
    private MemoryFile file;
    private MemoryManager mm;
    private final List<String> hostOps = new ArrayList<>();

    @BeforeEach
    void setUp() {
        file = MemoryFile.create(1L << 30);
        mm = new MemoryManager(file, new PageRefs(), MAX);
        mm.setMmapBase(0x7f0000000000L);
        mm.attachHost(new AddressSpace() {
            @Override
            public void map(long addr, long len, long off, int prot) {
                hostOps.add("map " + Long.toHexString(addr) + "+" + len + " prot " + prot);
            }

            @Override
            public void unmap(long addr, long len) {
                hostOps.add("unmap " + Long.toHexString(addr) + "+" + len);
            }

            @Override
            public void protect(long addr, long len, int prot) {
                hostOps.add("protect");
            }

            @Override
            public void flush(dev.jvisor.platform.Context stopped) {}

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
        });
    }

    @AfterEach
    void tearDown() {
        file.close();
    }

    private static int errno(Runnable r) {
        try {
            r.run();
        } catch (SyscallException e) {
            return e.errno;
        }
        return 0;
    }

    /** fork: pages are shared read-only until one side writes; each side then has its own copy. */
    @Test
    void forkSharesPagesUntilWritten() {
        long a = mm.mmapAnonymous(0x40000000L, 4 * 4096, RW, ANON | MemoryManager.MAP_FIXED, "");
        mm.writeInt(a, 1);
        mm.writeInt(a + 4096, 2);
        long before = file.allocator().allocatedBytes();
        hostOps.clear();
        MemoryManager child = mm.fork();
        assertEquals(before, file.allocator().allocatedBytes(), "fork copies nothing");
        // The parent's populated pages (one fault window) lose their writable host mappings.
        assertEquals(List.of("unmap " + Long.toHexString(a) + "+16384"), hostOps);
        hostOps.clear();
        // A read fault maps the shared pages read-only.
        assertEquals(0, mm.handleFault(a, false, false));
        assertTrue(hostOps.stream().anyMatch(o -> o.startsWith("map " + Long.toHexString(a)) && o.endsWith("prot 1")),
                hostOps::toString);
        child.writeInt(a, 10);
        assertEquals(1, mm.readInt(a));
        assertEquals(10, child.readInt(a));
        assertEquals(2, child.readInt(a + 4096));
        assertEquals(before + 4096, file.allocator().allocatedBytes(), "one page copied");
        // A write fault in the parent copies the page it writes, once nobody else shares it no copy is needed.
        hostOps.clear();
        assertEquals(0, mm.handleFault(a + 4096, true, false));
        assertEquals(before + 2 * 4096, file.allocator().allocatedBytes());
        child.releaseAll();
        assertEquals(before, file.allocator().allocatedBytes(), "the child's pages went back, the parent's stayed");
        assertEquals(1, mm.readInt(a));
        assertEquals(2, mm.readInt(a + 4096));
    }

    @Test
    void mmapPlacesTopDownAndHonoursFreeHints() {
        long a = mm.mmapAnonymous(0, 10000, RW, ANON, "");
        assertEquals(0x7f0000000000L - 12288, a);
        long b = mm.mmapAnonymous(0, 4096, RW, ANON, "");
        assertEquals(a - 4096, b);
        long hint = 0x10000000L;
        assertEquals(hint, mm.mmapAnonymous(hint, 4096, RW, ANON, ""));
        // An occupied hint is ignored, not an error.
        assertTrue(mm.mmapAnonymous(hint, 4096, RW, ANON, "") != hint);
    }

    @Test
    void mmapErrorsAreLinuxs() {
        assertEquals(Errno.EINVAL, errno(() -> mm.mmapAnonymous(0, 0, RW, ANON, "")));
        assertEquals(Errno.EINVAL, errno(() -> mm.mmapAnonymous(0x10001, 4096, RW, ANON | MemoryManager.MAP_FIXED, "")));
        assertEquals(Errno.EPERM, errno(() -> mm.mmapAnonymous(0x1000, 4096, RW, ANON | MemoryManager.MAP_FIXED, "")));
        assertEquals(Errno.ENOMEM, errno(() -> mm.mmapAnonymous(MAX, 4096, RW, ANON | MemoryManager.MAP_FIXED, "")));
        long a = mm.mmapAnonymous(0x20000000L, 8192, RW, ANON | MemoryManager.MAP_FIXED, "");
        assertEquals(Errno.EEXIST, errno(() -> mm.mmapAnonymous(a + 4096, 4096, RW, ANON
                | MemoryManager.MAP_FIXED_NOREPLACE, "")));
        assertEquals(Errno.EINVAL, errno(() -> mm.munmap(a + 1, 4096)));
        assertEquals(Errno.ENOMEM, errno(() -> mm.mprotect(a, 3 * 4096, MemoryManager.PROT_READ)));
    }

    @Test
    void sentryWritesPopulateAndFaultsMapWindows() {
        long a = mm.mmapAnonymous(0x30000000L, 1 << 20, RW, ANON | MemoryManager.MAP_FIXED, "");
        byte[] data = {1, 2, 3, 4};
        mm.copyOut(a + 5000, data, 0, 4);
        assertArrayEquals(data, mm.read(a + 5000, 4));
        assertArrayEquals(new byte[4], mm.read(a + 500000, 4), "untouched memory reads as zeros");
        assertEquals(0, mm.handleFault(a + 5000, true, false));
        assertEquals("map 30000000+65536 prot 3", hostOps.get(hostOps.size() - 1));
        assertEquals(1, mm.handleFault(0x40000000L, false, false), "no VMA: SEGV_MAPERR");
        mm.mprotect(a, 4096, MemoryManager.PROT_READ);
        assertEquals(2, mm.handleFault(a, true, false), "write to read-only: SEGV_ACCERR");
        assertEquals(Errno.EFAULT, errno(() -> mm.copyOut(a, data, 0, 4)));
        assertArrayEquals(new byte[4], mm.read(a, 4));
    }

    @Test
    void munmapSplitsAndFreesMemory() {
        long a = mm.mmapAnonymous(0x30000000L, 3 * 65536, RW, ANON | MemoryManager.MAP_FIXED, "");
        for (long p = a; p < a + 3 * 65536; p += 4096) {
            mm.copyOut(p, new byte[] {7}, 0, 1);
        }
        assertEquals(3 * 65536, mm.populatedBytes());
        mm.munmap(a + 65536, 65536);
        assertEquals(2 * 65536, mm.populatedBytes());
        assertEquals(2, mm.vmas().size());
        assertEquals(Errno.EFAULT, errno(() -> mm.read(a + 65536, 1)));
        assertEquals(7, mm.read(a + 2 * 65536, 1)[0]);
        assertEquals(2 * 65536, file.allocator().allocatedBytes());
    }

    @Test
    void madviseDontneedZeroesAndMprotectMergesBack() {
        long a = mm.mmapAnonymous(0x30000000L, 8 * 4096, RW, ANON | MemoryManager.MAP_FIXED, "");
        mm.copyOut(a, new byte[] {9}, 0, 1);
        mm.discard(a, a + 4096);
        assertEquals(0, mm.read(a, 1)[0]);
        mm.mprotect(a + 4096, 4096, MemoryManager.PROT_READ);
        assertEquals(3, mm.vmas().size());
        mm.mprotect(a + 4096, 4096, RW);
        assertEquals(1, mm.vmas().size(), "identical neighbours merge again");
    }

    @Test
    void brkGrowsShrinksAndRefusesOverlap() {
        mm.setBrkStart(0x500000);
        assertEquals(0x500000, mm.brk(0));
        assertEquals(0x512345, mm.brk(0x512345));
        mm.copyOut(0x512000, new byte[] {1}, 0, 1);
        assertEquals(0x501000, mm.brk(0x501000));
        assertEquals(Errno.EFAULT, errno(() -> mm.read(0x502000, 1)));
        mm.mmapAnonymous(0x600000, 4096, RW, ANON | MemoryManager.MAP_FIXED, "");
        assertEquals(0x501000, mm.brk(0x700000), "a brk that would overlap a mapping fails");
    }

    @Test
    void stringsAndTransfers() {
        long a = mm.mmapAnonymous(0x30000000L, 3 * 4096, RW, ANON | MemoryManager.MAP_FIXED, "");
        byte[] s = "hello\0".getBytes();
        mm.copyOut(a + 4090, s, 0, s.length);
        assertEquals("hello", mm.readCString(a + 4090, 4096));
        mm.copyOut(a + 8192, "x".repeat(32).getBytes(), 0, 32);
        assertEquals(Errno.ENAMETOOLONG, errno(() -> mm.readCString(a + 8192, 16)));
        long n = mm.transfer(a, 3 * 4096, false, (host, len) -> len);
        assertEquals(3 * 4096, n);
        assertThrows(SyscallException.class, () -> mm.transfer(a, 4 * 4096, false, (host, len) -> len));
    }
}
