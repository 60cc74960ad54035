package dev.jvisor.kernel.loader;

import static dev.jvisor.kernel.loader.ProgramHeader.PF_R;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_W;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_X;
import static dev.jvisor.kernel.loader.ProgramHeader.PROT_EXEC;
import static dev.jvisor.kernel.loader.ProgramHeader.PROT_READ;
import static dev.jvisor.kernel.loader.ProgramHeader.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segment mapping: real binaries checked against their files, crafted ones against Linux's rules. */
class ElfLoaderTest {
    static final long PAGE = 4096;

    static long pageStart(long a) {
        return a & -PAGE;
    }

    static long pageAlign(long a) {
        return (a + PAGE - 1) & -PAGE;
    }

    /**
     * Checks every PT_LOAD of {@code elf} as loaded with {@code bias}: file pages mapped with the
     * segment's protection and the file's bytes (including the bytes before p_vaddr in the first page),
     * the rest of the last file page zero, whole bss pages anonymous and read-write.
     */
    static void assertSegmentsLoaded(FakeMemory mem, ElfFile elf, byte[] file, long bias, String name) {
        List<ProgramHeader> loads = elf.loadSegments();
        for (int i = 0; i < loads.size(); i++) {
            ProgramHeader ph = loads.get(i);
            long addr = ph.vaddr() + bias;
            long start = pageStart(addr);
            long fileEnd = addr + ph.filesz();
            // A later segment may own the last page (MAP_FIXED replaces it), so stop one page early then.
            long checkEnd = fileEnd;
            if (i + 1 < loads.size() && pageStart(loads.get(i + 1).vaddr() + bias) < pageAlign(fileEnd)) {
                checkEnd = pageStart(loads.get(i + 1).vaddr() + bias);
            }
            FakeMemory.Mapping m = mem.mappingAt(start);
            assertNotNull(m, "segment " + i + " mapped");
            assertEquals(ph.prot(), m.prot(), "prot of segment " + i);
            assertEquals(name, m.name(), "name of segment " + i);
            long off = ph.offset() - (addr - start);
            int len = (int) (checkEnd - start);
            assertArrayEquals(Arrays.copyOfRange(file, (int) off, (int) off + len), mem.read(start, len),
                    "file bytes of segment " + i);
            if (ph.memsz() > ph.filesz()) {
                long bssEnd = addr + ph.memsz();
                assertTrue(mem.isZero(fileEnd, Math.min(pageAlign(fileEnd), bssEnd) - fileEnd), "padzero of segment " + i);
                for (long p = pageAlign(fileEnd); p < pageAlign(bssEnd); p += PAGE) {
                    FakeMemory.Mapping b = mem.mappingAt(p);
                    assertNotNull(b, "bss page mapped");
                    assertEquals("", b.name(), "bss is anonymous");
                    assertEquals(PROT_READ | PROT_WRITE | (ph.prot() & PROT_EXEC), b.prot(), "bss prot");
                }
                assertTrue(mem.isZero(pageAlign(fileEnd), pageAlign(bssEnd) - pageAlign(fileEnd)), "bss zero");
            }
        }
    }

    static long highestEnd(ElfFile elf) {
        return elf.loadSegments().stream().mapToLong(p -> p.vaddr() + p.memsz()).max().orElseThrow();
    }

    @Test
    void staticExecutableLoadsAtItsAddresses() throws Exception {
        Path exe = NativeBinaries.staticExe();
        byte[] file = Files.readAllBytes(exe);
        FakeMemory mem = new FakeMemory();
        LoadedImage img;
        ElfFile elf;
        try (HostElfSource src = HostElfSource.open(exe)) {
            elf = ElfFile.parse(src);
            img = ElfLoader.load(elf, src, mem);
        }
        assertEquals(0, img.base());
        assertEquals(elf.entry(), img.entry());
        assertNull(img.interpreter());
        assertFalse(img.executableStack());
        assertEquals(elf.phnum(), img.phnum());
        assertEquals(56, img.phent());
        ProgramHeader first = elf.loadSegments().get(0);
        assertEquals(first.vaddr() - first.offset() + elf.phoff(), img.phdr(), "phdr inside the first segment");
        assertEquals(pageAlign(highestEnd(elf)), img.brkStart());
        assertEquals(img.brkStart(), mem.brkStart);
        assertTrue(mem.findFreeRequests.isEmpty(), "ET_EXEC needs no free range");
        assertSegmentsLoaded(mem, elf, file, 0, exe.toString());
        // The program headers in memory are the file's.
        assertArrayEquals(Arrays.copyOfRange(file, (int) elf.phoff(), (int) elf.phoff() + 56 * elf.phnum()),
                mem.read(img.phdr(), 56 * elf.phnum()));
        // The dumper has a 300000-byte bss: several anonymous pages.
        assertTrue(mem.mappings.values().stream().filter(m -> m.name().isEmpty()).mapToLong(m -> m.end() - m.start()).sum()
                >= 290000);
    }

    @Test
    void staticPieLoadsAtAFreeBase() throws Exception {
        Path exe = NativeBinaries.staticPie();
        byte[] file = Files.readAllBytes(exe);
        FakeMemory mem = new FakeMemory();
        LoadedImage img;
        ElfFile elf;
        try (HostElfSource src = HostElfSource.open(exe)) {
            elf = ElfFile.parse(src);
            img = ElfLoader.load(elf, src, mem);
        }
        assertEquals(1, mem.findFreeRequests.size());
        assertEquals(pageAlign(highestEnd(elf) - pageStart(elf.loadSegments().get(0).vaddr())),
                mem.findFreeRequests.get(0), "span of all segments (alignment is one page)");
        assertTrue(img.base() > 0 && img.base() % PAGE == 0);
        assertEquals(mem.mmapBase, img.base() + pageAlign(highestEnd(elf)), "placed top-down below mmapBase");
        assertEquals(img.base() + elf.entry(), img.entry());
        assertNull(img.interpreter());
        assertEquals(pageAlign(img.base() + highestEnd(elf)), img.brkStart());
        assertSegmentsLoaded(mem, elf, file, img.base(), exe.toString());
        assertArrayEquals(Arrays.copyOfRange(file, (int) elf.phoff(), (int) elf.phoff() + 56 * elf.phnum()),
                mem.read(img.phdr(), 56 * elf.phnum()));
    }

    @Test
    void dynamicPieAndItsInterpreter() throws Exception {
        assertTrue(Files.isReadable(ElfFileTest.LS) && Files.isReadable(ElfFileTest.LD_SO));
        FakeMemory mem = new FakeMemory();
        LoadedImage img;
        ElfFile elf;
        try (HostElfSource src = HostElfSource.open(ElfFileTest.LS)) {
            elf = ElfFile.parse(src);
            img = ElfLoader.load(elf, src, mem);
        }
        assertEquals("/lib64/ld-linux-x86-64.so.2", img.interpreter());
        assertEquals(img.base() + elf.phdrSegment().vaddr(), img.phdr(), "PT_PHDR and Linux's computation agree");
        assertEquals(img.base() + elf.entry(), img.entry());
        assertSegmentsLoaded(mem, elf, Files.readAllBytes(ElfFileTest.LS), img.base(), "/bin/ls");
        long brk = mem.brkStart;

        InterpreterImage ld;
        ElfFile ldElf;
        try (HostElfSource src = HostElfSource.open(Path.of(img.interpreter()))) {
            ldElf = ElfFile.parseInterpreter(src);
            ld = ElfLoader.loadInterpreter(ldElf, src, mem);
        }
        assertNotEquals(img.base(), ld.base());
        assertTrue(ld.base() % PAGE == 0);
        assertEquals(ld.base() + ldElf.entry(), ld.entry());
        assertEquals(brk, mem.brkStart, "the interpreter does not move the break");
        assertSegmentsLoaded(mem, ldElf, Files.readAllBytes(ElfFileTest.LD_SO), ld.base(), img.interpreter());
    }

    // ---- crafted images ----

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 31 + seed | 1);
        }
        return b;
    }

    @Test
    void bssZeroesTheRestOfTheLastFilePage() throws Exception {
        // Data at 0x600010 from offset 0x1010: 0x100 file bytes, then 0x3000 of bss. The file has
        // non-zero bytes everywhere, so only padzero can make the tail of the page zero.
        TestElf t = TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000)
                .load(PF_R | PF_W, 0x1010, 0x600010, 0x100, 0x3000).put(0x1000, pattern(0x2000, 7));
        byte[] file = t.bytes();
        FakeMemory mem = new FakeMemory();
        LoadedImage img = ElfLoader.load(new BytesSource("/t", file), mem);
        assertArrayEquals(Arrays.copyOfRange(file, 0x1000, 0x1110), mem.read(0x600000, 0x110),
                "the bytes before p_vaddr in the first page come from the file");
        assertTrue(mem.isZero(0x600110, 0x1000 - 0x110));
        assertEquals(new FakeMemory.Mapping(0x600000, 0x601000, PROT_READ | PROT_WRITE, "/t"), mem.mappingAt(0x600000));
        assertEquals(new FakeMemory.Mapping(0x601000, 0x604000, PROT_READ | PROT_WRITE, ""), mem.mappingAt(0x601000));
        assertNull(mem.mappingAt(0x604000));
        assertEquals(0x604000, img.brkStart());
        assertEquals(0x400040, img.phdr());
    }

    @Test
    void withoutBssTheLastPageShowsTheFile() throws Exception {
        // memsz == filesz: like mmap, the rest of the last page shows the following file bytes.
        TestElf t = TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000)
                .load(PF_R, 0x1000, 0x401000, 0x10, 0x10).put(0x1000, pattern(0x1000, 3));
        byte[] file = t.bytes();
        FakeMemory mem = new FakeMemory();
        ElfLoader.load(new BytesSource("/t", file), mem);
        assertArrayEquals(Arrays.copyOfRange(file, 0x1000, 0x2000), mem.read(0x401000, 0x1000));
    }

    @Test
    void bytesPastTheEndOfTheFileReadAsZero() throws Exception {
        TestElf t = TestElf.exec().size(0x1800).load(PF_R | PF_X, 0, 0x400000, 0x3000, 0x3000).put(0x100, pattern(0x1700, 5));
        byte[] file = t.bytes();
        FakeMemory mem = new FakeMemory();
        ElfLoader.load(new BytesSource("/t", file), mem);
        assertArrayEquals(file, mem.read(0x400000, file.length));
        assertTrue(mem.isZero(0x400000 + file.length, 0x3000 - file.length));
    }

    @Test
    void laterSegmentReplacesSharedPage() throws Exception {
        // Both segments touch page 0x401000; Linux maps the second with MAP_FIXED over the first.
        TestElf t = TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x1800, 0x1800)
                .load(PF_R | PF_W, 0x1900, 0x401900, 0x200, 0x200).put(0x1000, pattern(0x1000, 9));
        byte[] file = t.bytes();
        FakeMemory mem = new FakeMemory();
        ElfLoader.load(new BytesSource("/t", file), mem);
        assertEquals(new FakeMemory.Mapping(0x400000, 0x401000, PROT_READ | PROT_EXEC, "/t"), mem.mappingAt(0x400000));
        assertEquals(new FakeMemory.Mapping(0x401000, 0x402000, PROT_READ | PROT_WRITE, "/t"), mem.mappingAt(0x401000));
        assertArrayEquals(Arrays.copyOfRange(file, 0x1000, 0x2000), mem.read(0x401000, 0x1000));
    }

    @Test
    void executableBssAndExecutableStack() throws Exception {
        TestElf t = TestElf.exec().load(PF_R | PF_W | PF_X, 0, 0x400000, 0x1000, 0x3000)
                .ph(ProgramHeader.PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16);
        FakeMemory mem = new FakeMemory();
        LoadedImage img = ElfLoader.load(t.source(), mem);
        assertTrue(img.executableStack());
        assertEquals(PROT_READ | PROT_WRITE | PROT_EXEC, mem.mappingAt(0x401000).prot());
    }

    @Test
    void pureBssSegment() throws Exception {
        TestElf t = TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000).load(PF_R | PF_W, 0, 0x500000, 0, 0x2000);
        FakeMemory mem = new FakeMemory();
        LoadedImage img = ElfLoader.load(t.source(), mem);
        assertEquals(new FakeMemory.Mapping(0x500000, 0x502000, PROT_READ | PROT_WRITE, ""), mem.mappingAt(0x500000));
        assertEquals(0x502000, img.brkStart());
    }

    @Test
    void positionIndependentImageHonoursAlignment() throws Exception {
        TestElf t = TestElf.exec().type(ElfFile.ET_DYN).entry(0x1000)
                .ph(ProgramHeader.PT_LOAD, PF_R | PF_X, 0, 0, 0x2000, 0x2000, 0x200000)
                .ph(ProgramHeader.PT_LOAD, PF_R | PF_W, 0x2000, 0x202000, 0x800, 0x5000, 0x200000);
        FakeMemory mem = new FakeMemory(0x7f0000123000L);
        LoadedImage img = ElfLoader.load(t.source(), mem);
        assertEquals(0, img.base() % 0x200000, "bias aligned to the largest p_align");
        assertEquals(List.of(0x207000L + 0x200000 - PAGE), mem.findFreeRequests);
        assertEquals(img.base() + 0x1000, img.entry());
        assertEquals(img.base() + 0x40, img.phdr());
        assertEquals(img.base() + 0x207000, img.brkStart());
    }

    @Test
    void phdrFallsBackToPtPhdr() throws Exception {
        // e_phoff is not inside any PT_LOAD's file range: use PT_PHDR's address.
        TestElf t = TestElf.exec().load(PF_R | PF_X, 0x1000, 0x401000, 0x1000, 0x1000)
                .ph(ProgramHeader.PT_PHDR, PF_R, 64, 0x400040, 112, 112, 8);
        assertEquals(0x400040, ElfLoader.load(t.source(), new FakeMemory()).phdr());
    }

    // ---- errors: Linux meets these after its point of no return ----

    static LoaderException loadError(TestElf t, FakeMemory mem) {
        LoaderException e = assertThrows(LoaderException.class, () -> ElfLoader.load(t.source(), mem));
        assertTrue(e.pastPointOfNoReturn(), e.toString());
        return e;
    }

    static void assertLoadError(TestElf t, int errno, String messagePart) {
        FakeMemory mem = new FakeMemory();
        LoaderException e = loadError(t, mem);
        assertEquals(errno, e.errno(), e.toString());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertTrue(mem.mappings.isEmpty(), "nothing mapped when validation fails");
    }

    @Test
    void fileSizeLargerThanMemorySize() {
        assertLoadError(TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x1000), LoaderException.EINVAL,
                "p_filesz is larger than p_memsz");
    }

    @Test
    void segmentOverflows() {
        // vaddr + memsz wraps around: vm_brk_flags fails with ENOMEM.
        assertLoadError(TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0xffffffffffff0000L),
                LoaderException.ENOMEM, "does not fit");
        // Above the user address limit (where the stub lives).
        assertLoadError(TestElf.exec().entry(0x7ff000001000L).load(PF_R | PF_X, 0, 0x7ff000000000L, 0x2000, 0x2000),
                LoaderException.ENOMEM, "user address limit 0x7ff000000000");
        assertLoadError(TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000)
                .load(PF_R | PF_W, 0, 0x7fefffffe000L, 0, 0x100000), LoaderException.ENOMEM, "PT_LOAD #1");
        // Negative (huge unsigned) vaddr.
        assertLoadError(TestElf.exec().load(PF_R | PF_X, 0, -0x10000L, 0x1000, 0x1000), LoaderException.ENOMEM, "does not fit");
    }

    @Test
    void offsetAndAddressMustBeCongruent() {
        assertLoadError(TestElf.exec().load(PF_R | PF_X, 0x10, 0x400000, 0x1000, 0x1000), LoaderException.EINVAL,
                "differ modulo the page size");
    }

    @Test
    void entryOutsideTheAddressSpace() {
        assertLoadError(TestElf.exec().entry(0x7ffffffff000L).load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000),
                LoaderException.EINVAL, "entry point");
    }

    @Test
    void noLoadSegments() {
        assertLoadError(TestElf.exec().ph(ProgramHeader.PT_NOTE, PF_R, 0, 0, 0, 0, 4), LoaderException.EINVAL, "no PT_LOAD");
        assertLoadError(TestElf.exec().type(ElfFile.ET_DYN).ph(ProgramHeader.PT_NOTE, PF_R, 0, 0, 0, 0, 4),
                LoaderException.EINVAL, "no PT_LOAD");
    }

    @Test
    void occupiedRangeFails() throws Exception {
        FakeMemory mem = new FakeMemory();
        mem.mapFixed(0x400000, 0x1000, PROT_READ, "[stack]");
        LoaderException e = loadError(TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000), mem);
        assertEquals(LoaderException.EEXIST, e.errno(), "MAP_FIXED_NOREPLACE's error");
    }

    @Test
    void interpreterOverflowIsEnomem() {
        TestElf t = TestElf.exec().type(ElfFile.ET_DYN).entry(0x100).load(PF_R | PF_X, 0, 0, 0x2000, 0x1000);
        LoaderException e = assertThrows(LoaderException.class, () -> ElfLoader.loadInterpreter(t.source(), new FakeMemory()));
        assertEquals(LoaderException.ENOMEM, e.errno(), "load_elf_interp reports ENOMEM where load_elf_binary says EINVAL");
        assertTrue(e.pastPointOfNoReturn());
        // Parse errors of an interpreter are ELIBBAD and still returnable.
        e = assertThrows(LoaderException.class,
                () -> ElfLoader.loadInterpreter(t.machine(40).source(), new FakeMemory()));
        assertEquals(LoaderException.ELIBBAD, e.errno());
        assertFalse(e.pastPointOfNoReturn());
    }
}
