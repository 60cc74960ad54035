package dev.jvisor.kernel.loader;

import static dev.jvisor.kernel.loader.ProgramHeader.PF_R;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_W;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header parsing: real binaries against readelf, malformed files against Linux's errnos. */
class ElfFileTest {
    static final Path LS = Path.of("/bin/ls");
    static final Path LD_SO = Path.of("/lib64/ld-linux-x86-64.so.2");

    static ElfFile parse(Path p) throws Exception {
        try (HostElfSource src = HostElfSource.open(p)) {
            return ElfFile.parse(src);
        }
    }

    @Test
    void binLsIsDynamicPie() throws Exception {
        assertTrue(Files.isReadable(LS));
        ElfFile elf = parse(LS);
        assertEquals(ElfFile.ET_DYN, elf.type());
        assertTrue(elf.isPositionIndependent());
        assertEquals("/lib64/ld-linux-x86-64.so.2", elf.interpreter());
        assertNotNull(elf.phdrSegment());
        assertEquals(elf.phoff(), elf.phdrSegment().offset());
        assertNotNull(elf.gnuStack());
        assertFalse(elf.executableStack());
        assertEquals(ElfFile.PHDR_SIZE, elf.phentsize());
        assertTrue(elf.loadSegments().size() >= 2);
        assertMatchesReadelf(LS, elf);
    }

    @Test
    void staticExecutable() throws Exception {
        Path exe = NativeBinaries.staticExe();
        ElfFile elf = parse(exe);
        assertEquals(ElfFile.ET_EXEC, elf.type());
        assertNull(elf.interpreter());
        assertNotNull(elf.tls(), "static glibc programs have a PT_TLS");
        assertFalse(elf.executableStack());
        assertMatchesReadelf(exe, elf);
    }

    @Test
    void staticPie() throws Exception {
        Path exe = NativeBinaries.staticPie();
        ElfFile elf = parse(exe);
        assertEquals(ElfFile.ET_DYN, elf.type());
        assertNull(elf.interpreter());
        assertMatchesReadelf(exe, elf);
    }

    @Test
    void interpreterItself() throws Exception {
        assertTrue(Files.isReadable(LD_SO));
        ElfFile elf;
        try (HostElfSource src = HostElfSource.open(LD_SO)) {
            elf = ElfFile.parseInterpreter(src);
        }
        assertEquals(ElfFile.ET_DYN, elf.type());
        assertNull(elf.interpreter());
        assertMatchesReadelf(LD_SO, elf);
    }

    /** Compares entry point and every program header with {@code readelf -lW}. */
    static void assertMatchesReadelf(Path file, ElfFile elf) throws Exception {
        NativeBinaries.Result r;
        try {
            r = NativeBinaries.run(List.of("readelf", "-lW", file.toString()), Map.of("LC_ALL", "C", "PATH", "/usr/bin:/bin"));
        } catch (IOException e) {
            assertTrue(false, "no readelf");
            return;
        }
        assertTrue(r.exit() == 0, "readelf failed");
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : r.text().split("\n")) {
            String t = line.trim();
            if (t.startsWith("Entry point ")) {
                assertEquals(Long.decode(t.substring("Entry point ".length())), elf.entry(), "entry");
            } else if (t.startsWith("Type ") && t.contains("Offset")) {
                inTable = true;
            } else if (inTable && (t.isEmpty() || t.startsWith("Section to Segment"))) {
                inTable = false;
            } else if (inTable && !t.startsWith("[")) {
                rows.add(t.split("\\s+"));
            }
        }
        assertEquals(rows.size(), elf.phnum(), "phnum");
        for (int i = 0; i < rows.size(); i++) {
            String[] c = rows.get(i);
            ProgramHeader ph = elf.programHeaders().get(i);
            Integer type = typeOf(c[0]);
            if (type != null) {
                assertEquals((int) type, ph.type(), "type of #" + i);
            }
            assertEquals(Long.decode(c[1]), ph.offset(), "offset of #" + i);
            assertEquals(Long.decode(c[2]), ph.vaddr(), "vaddr of #" + i);
            assertEquals(Long.decode(c[4]), ph.filesz(), "filesz of #" + i);
            assertEquals(Long.decode(c[5]), ph.memsz(), "memsz of #" + i);
            String flags = String.join("", Arrays.copyOfRange(c, 6, c.length - 1));
            int f = (flags.contains("R") ? PF_R : 0) | (flags.contains("W") ? PF_W : 0) | (flags.contains("E") ? PF_X : 0);
            assertEquals(f, ph.flags() & 7, "flags of #" + i);
            assertEquals(Long.decode(c[c.length - 1]), ph.align(), "align of #" + i);
        }
    }

    private static Integer typeOf(String name) {
        switch (name) {
            case "LOAD": return ProgramHeader.PT_LOAD;
            case "PHDR": return ProgramHeader.PT_PHDR;
            case "INTERP": return ProgramHeader.PT_INTERP;
            case "DYNAMIC": return ProgramHeader.PT_DYNAMIC;
            case "NOTE": return ProgramHeader.PT_NOTE;
            case "TLS": return ProgramHeader.PT_TLS;
            case "GNU_STACK": return ProgramHeader.PT_GNU_STACK;
            case "GNU_RELRO": return ProgramHeader.PT_GNU_RELRO;
            case "GNU_EH_FRAME": return ProgramHeader.PT_GNU_EH_FRAME;
            case "GNU_PROPERTY": return ProgramHeader.PT_GNU_PROPERTY;
            default: return null;
        }
    }

    // ---- malformed files ----

    static TestElf minimal() {
        return TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000);
    }

    static LoaderException parseError(byte[] file) {
        return assertThrows(LoaderException.class, () -> ElfFile.parse(new BytesSource("/bad", file)));
    }

    static void assertNoexec(byte[] file, String messagePart) {
        LoaderException e = parseError(file);
        assertEquals(LoaderException.ENOEXEC, e.errno(), e.toString());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.pastPointOfNoReturn());
    }

    @Test
    void minimalFileParses() throws Exception {
        ElfFile elf = ElfFile.parse(minimal().source());
        assertEquals(1, elf.phnum());
        assertEquals(0x400000, elf.loadSegments().get(0).vaddr());
        assertEquals(ProgramHeader.PROT_READ | ProgramHeader.PROT_EXEC, elf.loadSegments().get(0).prot());
    }

    @Test
    void notElf() {
        assertNoexec(new byte[0], "not an ELF executable");
        assertNoexec("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.US_ASCII), "not an ELF executable");
        byte[] b = minimal().bytes();
        b[1] = 'X';
        assertNoexec(b, "not an ELF executable");
    }

    @Test
    void truncatedHeader() {
        assertNoexec(Arrays.copyOf(minimal().bytes(), 40), "truncated ELF header (40 of 64 bytes)");
    }

    @Test
    void wrongClassOrByteOrder() {
        assertNoexec(minimal().elfClass(1).bytes(), "not 64-bit");
        assertNoexec(minimal().data(2).bytes(), "not little-endian");
    }

    @Test
    void wrongType() {
        assertNoexec(minimal().type(1).bytes(), "ET_REL");
        assertNoexec(minimal().type(4).bytes(), "ET_CORE");
    }

    @Test
    void wrongMachine() {
        assertNoexec(minimal().machine(183).bytes(), "ELF for machine 183, not x86-64");
        assertNoexec(minimal().machine(3).bytes(), "ELF for machine 3, not x86-64");
    }

    @Test
    void badProgramHeaderTable() throws Exception {
        assertNoexec(minimal().phentsize(32).bytes(), "program header size 32");
        assertNoexec(minimal().phnum(0).bytes(), "0 program headers");
        assertNoexec(minimal().phnum(1171).size(0x20000).bytes(), "1171 program headers");
        assertNoexec(minimal().phnum(0xffff).size(0x20000).bytes(), "65535 program headers");
        assertNoexec(minimal().phoff(0x100000).bytes(), "extend past the end of the file");
        assertNoexec(minimal().phoff(-8).bytes(), "extend past the end of the file");
        // 1170 headers (65520 bytes) is the most Linux accepts.
        ElfFile elf = ElfFile.parse(minimal().phnum(1170).size(0x20000).source());
        assertEquals(1170, elf.phnum());
    }

    @Test
    void badInterpreterPath() {
        byte[] path = "/lib64/ld-linux-x86-64.so.2".getBytes(StandardCharsets.US_ASCII);
        assertNoexec(minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, path.length, path.length, 1)
                .put(0x1800, path).bytes(), "not NUL-terminated");
        assertNoexec(minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, 1, 1, 1).bytes(), "PT_INTERP size 1");
        assertNoexec(minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, 5000, 5000, 1).size(0x4000).bytes(),
                "PT_INTERP size 5000");
        LoaderException e = parseError(minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x10000, 0, 3, 3, 1).bytes());
        assertEquals(LoaderException.EIO, e.errno(), "a short read of PT_INTERP is EIO in Linux");
    }

    @Test
    void interpreterPathStopsAtFirstNul() throws Exception {
        byte[] path = "/lib/ld.so\0junk\0".getBytes(StandardCharsets.US_ASCII);
        ElfFile elf = ElfFile.parse(minimal().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, path.length, path.length, 1)
                .put(0x1800, path).source());
        assertEquals("/lib/ld.so", elf.interpreter());
    }

    @Test
    void lastGnuStackWins() throws Exception {
        ElfFile elf = ElfFile.parse(minimal().ph(ProgramHeader.PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16)
                .ph(ProgramHeader.PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16).source());
        assertTrue(elf.executableStack());
        assertFalse(ElfFile.parse(minimal().source()).executableStack(), "no PT_GNU_STACK: non-executable on x86-64");
    }

    @Test
    void interpreterErrorsAreElibbad() {
        LoaderException e = assertThrows(LoaderException.class,
                () -> ElfFile.parseInterpreter(new BytesSource("/ld", minimal().machine(183).bytes())));
        assertEquals(LoaderException.ELIBBAD, e.errno());
        assertTrue(e.getMessage().contains("machine 183"), e.getMessage());
        e = assertThrows(LoaderException.class,
                () -> ElfFile.parseInterpreter(new BytesSource("/ld", minimal().phnum(0).bytes())));
        assertEquals(LoaderException.ELIBBAD, e.errno());
        e = assertThrows(LoaderException.class,
                () -> ElfFile.parseInterpreter(new BytesSource("/ld", "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(LoaderException.EIO, e.errno(), "Linux reads the interpreter's header with elf_read: short is EIO");
    }

    @Test
    void sourceIoErrorsBecomeEio() {
        ElfSource failing = new ElfSource() {
            @Override
            public long size() {
                return 4096;
            }

            @Override
            public void read(long offset, byte[] dst, int dstOff, int len) throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public String path() {
                return "/broken";
            }
        };
        LoaderException e = assertThrows(LoaderException.class, () -> ElfFile.parse(failing));
        assertEquals(LoaderException.EIO, e.errno());
        assertTrue(e.getMessage().contains("disk on fire"));
    }

    @Test
    void hostSourceErrors() throws Exception {
        LoaderException e = assertThrows(LoaderException.class, () -> HostElfSource.open(Path.of("/nonexistent/x")));
        assertEquals(LoaderException.ENOENT, e.errno());
        Path small = NativeBinaries.tempDir().resolve("small");
        Files.write(small, new byte[] {1, 2, 3});
        try (HostElfSource src = HostElfSource.open(small)) {
            assertEquals(3, src.size());
            e = assertThrows(LoaderException.class, () -> src.read(0, new byte[8], 0, 8));
            assertEquals(LoaderException.EIO, e.errno());
        } finally {
            Files.delete(small);
        }
    }
}
