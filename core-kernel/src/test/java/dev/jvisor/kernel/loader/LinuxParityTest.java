package dev.jvisor.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs test programs natively, has them dump their initial stack and /proc/self/maps, then loads
 * the same programs with our loader at the same addresses and requires the same result: every page
 * of the images mapped with the same protection and backing, and the initial stack byte for byte.
 */
class LinuxParityTest {
    static final long PAGE = 4096;
    static final long TASK_SIZE = 0x7ffffffff000L;

    record RealMapping(long start, long end, int prot, String name) {}

    /** What the native process reported: its stack from rsp to the top, and its mappings. */
    record Dump(long sp, long top, byte[] stack, List<RealMapping> maps) {
        long word(long addr) {
            return ByteBuffer.wrap(stack).order(ByteOrder.LITTLE_ENDIAN).getLong((int) (addr - sp));
        }

        byte[] cstring(long addr) {
            int from = (int) (addr - sp);
            int to = from;
            while (stack[to] != 0) {
                to++;
            }
            return Arrays.copyOfRange(stack, from, to);
        }

        RealMapping mappingAt(long addr) {
            return maps.stream().filter(m -> m.start() <= addr && addr < m.end()).findFirst().orElse(null);
        }
    }

    record RealStack(List<byte[]> argv, List<byte[]> envp, List<Auxv.Entry> auxv) {
        long aux(int type) {
            return auxv.stream().filter(e -> e.type() == type).findFirst().orElseThrow().value();
        }

        boolean has(int type) {
            return auxv.stream().anyMatch(e -> e.type() == type);
        }
    }

    private static final Pattern MAPS_LINE = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) (\\S+) \\S+ \\S+ \\S+\\s*(.*)$");

    static Dump runDumper(Path exe) throws Exception {
        NativeBinaries.Result r = NativeBinaries.run(List.of(exe.toString(), "dump", "hello world", "", "last"),
                Map.of("A", "1", "HOME", "/nonexistent", "LC_ALL", "C", "LONG", "x".repeat(300)));
        assertEquals(0, r.exit(), r.text());
        byte[] out = r.stdout();
        int nl = indexOf(out, (byte) '\n', 0);
        String[] head = new String(out, 0, nl, StandardCharsets.US_ASCII).split(" ");
        assertEquals("STACK", head[0]);
        long sp = Long.parseUnsignedLong(head[1], 16);
        long top = Long.parseUnsignedLong(head[2], 16);
        assertEquals(0, top % PAGE, "the stack top computed from AT_EXECFN is page aligned");
        byte[] stack = Arrays.copyOfRange(out, nl + 1, nl + 1 + (int) (top - sp));
        String rest = new String(out, nl + 1 + stack.length, out.length - nl - 1 - stack.length, StandardCharsets.UTF_8);
        assertTrue(rest.startsWith("\nMAPS\n"), rest);
        List<RealMapping> maps = new ArrayList<>();
        for (String line : rest.substring(6).split("\n")) {
            Matcher m = MAPS_LINE.matcher(line);
            assertTrue(m.matches(), line);
            String perms = m.group(3);
            int prot = (perms.charAt(0) == 'r' ? 1 : 0) | (perms.charAt(1) == 'w' ? 2 : 0) | (perms.charAt(2) == 'x' ? 4 : 0);
            maps.add(new RealMapping(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16), prot,
                    m.group(4).trim()));
        }
        return new Dump(sp, top, stack, maps);
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static RealStack parseStack(Dump d) {
        long p = d.sp();
        long argc = d.word(p);
        p += 8;
        List<byte[]> argv = new ArrayList<>();
        for (int i = 0; i < argc; i++, p += 8) {
            argv.add(d.cstring(d.word(p)));
        }
        assertEquals(0, d.word(p));
        p += 8;
        List<byte[]> envp = new ArrayList<>();
        for (long a; (a = d.word(p)) != 0; p += 8) {
            envp.add(d.cstring(a));
        }
        p += 8;
        List<Auxv.Entry> auxv = new ArrayList<>();
        for (;; p += 16) {
            auxv.add(new Auxv.Entry(d.word(p), d.word(p + 8)));
            if (d.word(p) == Auxv.AT_NULL) {
                return new RealStack(argv, envp, auxv);
            }
        }
    }

    @Test
    void staticExecutable() throws Exception {
        check(NativeBinaries.staticExe());
    }

    @Test
    void staticPie() throws Exception {
        check(NativeBinaries.staticPie());
    }

    @Test
    void dynamicPieWithInterpreter() throws Exception {
        check(NativeBinaries.dynamicPie());
    }

    static void check(Path exe) throws Exception {
        Dump d = runDumper(exe);
        RealStack real = parseStack(d);
        // Linux's layout is above jvisor's limit: give the fake address space Linux's TASK_SIZE.
        FakeMemory mem = new FakeMemory(0x7f0000000000L, TASK_SIZE);

        ElfFile elf;
        LoadedImage img;
        try (HostElfSource src = HostElfSource.open(exe)) {
            elf = ElfFile.parse(src);
            if (elf.isPositionIndependent()) {
                // Make findFree return the base Linux chose, so both layouts can be compared page by page.
                mem.plannedFree.add(real.aux(Auxv.AT_PHDR) - ElfLoader.phdrAddress(elf, 0) + firstPage(elf));
            }
            img = ElfLoader.load(elf, src, mem);
        }
        assertEquals(real.aux(Auxv.AT_PHDR), img.phdr(), "AT_PHDR");
        assertEquals(real.aux(Auxv.AT_ENTRY), img.entry(), "AT_ENTRY");
        assertEquals(real.aux(Auxv.AT_PHNUM), img.phnum(), "AT_PHNUM");
        assertEquals(real.aux(Auxv.AT_PHENT), img.phent(), "AT_PHENT");
        assertImagePagesMatch(d, mem, elf, img.base(), exe);

        long interpBase = 0;
        if (img.interpreter() != null) {
            try (HostElfSource src = HostElfSource.open(Path.of(img.interpreter()))) {
                ElfFile ld = ElfFile.parseInterpreter(src);
                mem.plannedFree.add(real.aux(Auxv.AT_BASE) + firstPage(ld));
                InterpreterImage interp = ElfLoader.loadInterpreter(ld, src, mem);
                assertEquals(real.aux(Auxv.AT_BASE), interp.base(), "AT_BASE");
                interpBase = interp.base();
                assertImagePagesMatch(d, mem, ld, interp.base(), Path.of(img.interpreter()));
            }
        } else {
            assertEquals(0, real.aux(Auxv.AT_BASE));
        }

        // Rebuild the stack with the real process's inputs and compare every byte from rsp to the top.
        InitialStack.mapStack(mem, d.top(), InitialStack.DEFAULT_STACK_SIZE, img.executableStack());
        long platformAddr = real.aux(Auxv.AT_PLATFORM);
        List<Auxv.Entry> extras = new ArrayList<>();
        boolean afterPlatform = false;
        for (Auxv.Entry e : real.auxv()) {
            if (afterPlatform && e.type() != Auxv.AT_NULL) {
                extras.add(e);
            }
            afterPlatform |= e.type() == Auxv.AT_PLATFORM;
        }
        long argStart = d.word(d.sp() + 8);
        StackParams params = StackParams.builder()
                .hwcap(real.aux(Auxv.AT_HWCAP)).hwcap2(real.aux(Auxv.AT_HWCAP2))
                .minSigStackSize(real.aux(Auxv.AT_MINSIGSTKSZ))
                .uid((int) real.aux(Auxv.AT_UID), (int) real.aux(Auxv.AT_EUID))
                .gid((int) real.aux(Auxv.AT_GID), (int) real.aux(Auxv.AT_EGID))
                .secure(real.aux(Auxv.AT_SECURE) != 0)
                .random(Arrays.copyOfRange(d.stack(), (int) (real.aux(Auxv.AT_RANDOM) - d.sp()),
                        (int) (real.aux(Auxv.AT_RANDOM) - d.sp()) + 16))
                .platform(new String(d.cstring(platformAddr), StandardCharsets.US_ASCII))
                .vdsoBase(real.has(Auxv.AT_SYSINFO_EHDR) ? real.aux(Auxv.AT_SYSINFO_EHDR) : 0)
                // Linux shifted the tables by a random amount (arch_align_stack); use the same shift.
                .alignPad(argStart - (platformAddr + d.cstring(platformAddr).length + 1))
                .extraAuxv(extras)
                .build();
        ExecArgs args = new ExecArgs(real.argv(), real.envp(), d.cstring(real.aux(Auxv.AT_EXECFN)));
        StackLayout s = InitialStack.build(mem, d.top(), InitialStack.DEFAULT_STACK_SIZE, args, img, interpBase, params);
        assertEquals(real.auxv(), s.auxv(), "auxv");
        assertEquals(d.sp(), s.rsp(), "rsp");
        byte[] ours = mem.read(s.rsp(), (int) (d.top() - s.rsp()));
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] != d.stack()[i]) {
                fail(String.format("stack differs at 0x%x (rsp+%d): ours %d, Linux %d", d.sp() + i, i, ours[i], d.stack()[i]));
            }
        }
        assertArrayEquals(d.stack(), ours);
    }

    static long firstPage(ElfFile elf) {
        return elf.loadSegments().get(0).vaddr() & -PAGE;
    }

    /**
     * Every page we mapped for the image is mapped in the real process with the same protection
     * (pages under PT_GNU_RELRO may have been made read-only by libc since) and the same backing: the
     * file, or anonymous. Conversely every real page backed by the file is mapped by us.
     */
    static void assertImagePagesMatch(Dump d, FakeMemory mem, ElfFile elf, long bias, Path file) throws Exception {
        String realPath = file.toRealPath().toString();
        long relroStart = 0;
        long relroEnd = 0;
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ProgramHeader.PT_GNU_RELRO) {
                relroStart = (ph.vaddr() + bias) & -PAGE;
                relroEnd = (ph.vaddr() + ph.memsz() + bias) & -PAGE;
            }
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (ProgramHeader ph : elf.loadSegments()) {
            lo = Math.min(lo, (ph.vaddr() + bias) & -PAGE);
            hi = Math.max(hi, (ph.vaddr() + ph.memsz() + bias + PAGE - 1) & -PAGE);
        }
        int pages = 0;
        for (long page = lo; page < hi; page += PAGE) {
            FakeMemory.Mapping ours = mem.mappingAt(page);
            RealMapping real = d.mappingAt(page);
            if (ours == null) {
                assertTrue(real == null || !real.name().equals(realPath),
                        String.format("0x%x is mapped from %s by Linux, not by us", page, realPath));
                continue;
            }
            pages++;
            assertNotNull(real, String.format("0x%x mapped by us (%s) but not by Linux", page, ours));
            boolean relro = page >= relroStart && page < relroEnd;
            assertTrue(real.prot() == ours.prot() || (relro && real.prot() == ProgramHeader.PROT_READ),
                    String.format("prot at 0x%x: ours %d, Linux %d (%s)", page, ours.prot(), real.prot(), real));
            if (ours.name().isEmpty()) {
                assertTrue(real.name().isEmpty() || real.name().equals("[heap]"),
                        String.format("0x%x is anonymous for us, %s for Linux", page, real.name()));
            } else {
                assertEquals(realPath, real.name(), String.format("backing of 0x%x", page));
            }
        }
        assertTrue(pages > 0);
    }
}
