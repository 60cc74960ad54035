package dev.jvisor.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The initial stack, built into fake memory and parsed back the way a libc reads it. */
class InitialStackTest {
    static final long TOP = 0x7fef00000000L; // below ElfLoader.USER_LIMIT
    static final long SIZE = InitialStack.DEFAULT_STACK_SIZE;
    static final LoadedImage EXE = new LoadedImage(0x401a2c, 0x400040, 10, 56, 0, null, 0x4c9000, false);
    static final byte[] RANDOM = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** The stack as a process sees it at its first instruction. */
    record Parsed(long argc, List<String> argv, List<String> envp, List<Auxv.Entry> auxv) {
        long aux(int type) {
            return auxv.stream().filter(e -> e.type() == type).findFirst().orElseThrow().value();
        }
    }

    static Parsed parse(FakeMemory mem, long rsp) {
        long argc = mem.readLong(rsp);
        long p = rsp + 8;
        List<String> argv = new ArrayList<>();
        for (long a; (a = mem.readLong(p)) != 0; p += 8) {
            argv.add(mem.readCString(a));
        }
        p += 8;
        List<String> envp = new ArrayList<>();
        for (long a; (a = mem.readLong(p)) != 0; p += 8) {
            envp.add(mem.readCString(a));
        }
        p += 8;
        List<Auxv.Entry> auxv = new ArrayList<>();
        while (true) {
            Auxv.Entry e = new Auxv.Entry(mem.readLong(p), mem.readLong(p + 8));
            auxv.add(e);
            p += 16;
            if (e.type() == Auxv.AT_NULL) {
                return new Parsed(argc, argv, envp, auxv);
            }
        }
    }

    static FakeMemory stackMemory() throws LoaderException {
        FakeMemory mem = new FakeMemory();
        InitialStack.mapStack(mem, TOP, SIZE, false);
        return mem;
    }

    static StackParams params() {
        return StackParams.builder().hwcap(0x178bfbff).hwcap2(2).minSigStackSize(1776).uid(1000, 1001).gid(100, 101)
                .random(RANDOM).build();
    }

    static final List<Integer> LINUX_ORDER = List.of(Auxv.AT_MINSIGSTKSZ, Auxv.AT_HWCAP, Auxv.AT_PAGESZ, Auxv.AT_CLKTCK,
            Auxv.AT_PHDR, Auxv.AT_PHENT, Auxv.AT_PHNUM, Auxv.AT_BASE, Auxv.AT_FLAGS, Auxv.AT_ENTRY, Auxv.AT_UID,
            Auxv.AT_EUID, Auxv.AT_GID, Auxv.AT_EGID, Auxv.AT_SECURE, Auxv.AT_RANDOM, Auxv.AT_HWCAP2, Auxv.AT_EXECFN,
            Auxv.AT_PLATFORM, Auxv.AT_NULL);

    @Test
    void mapStackNamesAndProtects() throws Exception {
        FakeMemory mem = stackMemory();
        assertEquals(new FakeMemory.Mapping(TOP - SIZE, TOP, ProgramHeader.PROT_READ | ProgramHeader.PROT_WRITE, "[stack]"),
                mem.mappingAt(TOP - 1));
        FakeMemory exec = new FakeMemory();
        InitialStack.mapStack(exec, TOP, 0x20000, true);
        assertEquals(7, exec.mappingAt(TOP - 1).prot());
    }

    @Test
    void layoutReadsBackLikeLinux() throws Exception {
        FakeMemory mem = stackMemory();
        ExecArgs args = ExecArgs.of(List.of("/bin/prog", "hello world", "", "ünï"), List.of("HOME=/root", "A=1"), "/bin/prog");
        StackLayout s = InitialStack.build(mem, TOP, SIZE, args, EXE, 0x7f0000001000L, params());

        assertEquals(0, s.rsp() % 16, "rsp is 16-byte aligned");
        Parsed p = parse(mem, s.rsp());
        assertEquals(4, p.argc());
        assertEquals(List.of("/bin/prog", "hello world", "", "ünï"), p.argv());
        assertEquals(List.of("HOME=/root", "A=1"), p.envp());
        assertEquals(LINUX_ORDER, p.auxv().stream().map(e -> (int) e.type()).toList());
        assertEquals(s.auxv(), p.auxv());

        assertEquals(1776, p.aux(Auxv.AT_MINSIGSTKSZ));
        assertEquals(0x178bfbff, p.aux(Auxv.AT_HWCAP));
        assertEquals(2, p.aux(Auxv.AT_HWCAP2));
        assertEquals(4096, p.aux(Auxv.AT_PAGESZ));
        assertEquals(100, p.aux(Auxv.AT_CLKTCK));
        assertEquals(0x400040, p.aux(Auxv.AT_PHDR));
        assertEquals(56, p.aux(Auxv.AT_PHENT));
        assertEquals(10, p.aux(Auxv.AT_PHNUM));
        assertEquals(0x7f0000001000L, p.aux(Auxv.AT_BASE));
        assertEquals(0, p.aux(Auxv.AT_FLAGS));
        assertEquals(0x401a2c, p.aux(Auxv.AT_ENTRY));
        assertEquals(1000, p.aux(Auxv.AT_UID));
        assertEquals(1001, p.aux(Auxv.AT_EUID));
        assertEquals(100, p.aux(Auxv.AT_GID));
        assertEquals(101, p.aux(Auxv.AT_EGID));
        assertEquals(0, p.aux(Auxv.AT_SECURE));
        assertArrayEquals(RANDOM, mem.read(p.aux(Auxv.AT_RANDOM), 16));
        assertEquals("/bin/prog", mem.readCString(p.aux(Auxv.AT_EXECFN)));
        assertEquals("x86_64", mem.readCString(p.aux(Auxv.AT_PLATFORM)));

        // Strings: argv lowest, then envp, then execfn, then 8 zero bytes at the very top.
        assertEquals(TOP - 8 - "/bin/prog".length() - 1, s.execfnAddr());
        assertTrue(mem.isZero(TOP - 8, 8));
        assertEquals(s.execfnAddr(), s.envEnd());
        assertEquals(s.argEnd(), s.envStart());
        assertEquals(mem.readLong(s.argvAddr()), s.argStart());
        assertEquals(mem.readLong(s.envpAddr()), s.envStart());
        assertEquals(s.envStart() + "HOME=/root".length() + 1, mem.readLong(s.envpAddr() + 8));
        byte[] cmdline = mem.read(s.argStart(), (int) (s.argEnd() - s.argStart()));
        assertEquals("/bin/prog\0hello world\0\0ünï\0", new String(cmdline, java.nio.charset.StandardCharsets.UTF_8));
        // Platform string sits on the 16-byte boundary below argv[0], the random bytes right under it.
        assertEquals((s.argStart() & -16L) - 7, s.platformAddr());
        assertEquals(s.platformAddr() - 16, s.randomAddr());
        assertEquals(s.rsp() + 8, s.argvAddr());
        assertEquals(s.argvAddr() + 8 * 5, s.envpAddr());
        assertEquals(s.envpAddr() + 8 * 3, s.auxvAddr());
        assertTrue(s.auxvAddr() + 16 * s.auxv().size() <= s.randomAddr());
        assertTrue(s.randomAddr() - (s.auxvAddr() + 16 * s.auxv().size()) < 16, "only alignment padding in between");
    }

    @Test
    void vdsoAndExtraEntries() throws Exception {
        FakeMemory mem = stackMemory();
        StackParams params = StackParams.builder().random(RANDOM).vdsoBase(0x7fff00000000L)
                .extraAuxv(List.of(new Auxv.Entry(Auxv.AT_RSEQ_FEATURE_SIZE, 28), new Auxv.Entry(Auxv.AT_RSEQ_ALIGN, 32)))
                .secure(true).build();
        StackLayout s = InitialStack.build(mem, TOP, SIZE, ExecArgs.of(List.of("a"), List.of(), "a"), EXE, 0, params);
        Parsed p = parse(mem, s.rsp());
        List<Integer> expected = new ArrayList<>(LINUX_ORDER);
        expected.add(0, Auxv.AT_SYSINFO_EHDR);
        expected.addAll(expected.size() - 1, List.of(Auxv.AT_RSEQ_FEATURE_SIZE, Auxv.AT_RSEQ_ALIGN));
        assertEquals(expected, p.auxv().stream().map(e -> (int) e.type()).toList());
        assertEquals(0x7fff00000000L, p.aux(Auxv.AT_SYSINFO_EHDR));
        assertEquals(1, p.aux(Auxv.AT_SECURE));
        assertEquals(0, s.rsp() % 16);
    }

    @Test
    void alignmentHoldsForEveryStringLength() throws Exception {
        for (int n = 0; n < 40; n++) {
            FakeMemory mem = stackMemory();
            List<String> argv = new ArrayList<>(Collections.nCopies(n % 5 + 1, "x".repeat(n)));
            List<String> envp = Collections.nCopies(n % 3, "E=" + "y".repeat(n));
            StackParams params = StackParams.builder().random(RANDOM).alignPad(n * 37).build();
            StackLayout s = InitialStack.build(mem, TOP, SIZE, ExecArgs.of(argv, envp, "/e"), EXE, 0, params);
            assertEquals(0, s.rsp() % 16, "n=" + n);
            Parsed p = parse(mem, s.rsp());
            assertEquals(argv, p.argv());
            assertEquals(envp, p.envp());
            assertEquals(((s.argStart() - n * 37) & -16L) - 7, s.platformAddr());
        }
    }

    @Test
    void emptyArgvBecomesOneEmptyString() throws Exception {
        FakeMemory mem = stackMemory();
        StackLayout s = InitialStack.build(mem, TOP, SIZE, ExecArgs.of(List.of(), List.of("A=1"), "/x"), EXE, 0, params());
        Parsed p = parse(mem, s.rsp());
        assertEquals(1, p.argc());
        assertEquals(List.of(""), p.argv());
        assertEquals(List.of("A=1"), p.envp());
    }

    @Test
    void noPlatform() throws Exception {
        FakeMemory mem = stackMemory();
        StackParams params = StackParams.builder().random(RANDOM).platform(null).build();
        StackLayout s = InitialStack.build(mem, TOP, SIZE, ExecArgs.of(List.of("a"), List.of(), "a"), EXE, 0, params);
        assertEquals(0, s.platformAddr());
        assertEquals((s.argStart() & -16L) - 16, s.randomAddr());
        assertTrue(parse(mem, s.rsp()).auxv().stream().noneMatch(e -> e.type() == Auxv.AT_PLATFORM));
    }

    @Test
    void argumentLimits() throws Exception {
        LoaderException e = assertThrows(LoaderException.class, () -> InitialStack.build(stackMemory(), TOP, SIZE,
                ExecArgs.of(List.of("a", "x".repeat(InitialStack.MAX_ARG_STRLEN)), List.of(), "a"), EXE, 0, params()));
        assertEquals(LoaderException.E2BIG, e.errno());
        assertTrue(e.getMessage().contains("argv[1]"));
        // The longest accepted string: MAX_ARG_STRLEN including its NUL.
        InitialStack.build(stackMemory(), TOP, SIZE,
                ExecArgs.of(List.of("a", "x".repeat(InitialStack.MAX_ARG_STRLEN - 1)), List.of(), "a"), EXE, 0, params());
        // 8 MiB stack: strings and pointers may take 2 MiB.
        List<String> many = Collections.nCopies(20, "y".repeat(110_000));
        e = assertThrows(LoaderException.class, () -> InitialStack.build(stackMemory(), TOP, SIZE,
                ExecArgs.of(List.of("a"), many, "a"), EXE, 0, params()));
        assertEquals(LoaderException.E2BIG, e.errno());
        InitialStack.build(stackMemory(), TOP, SIZE, ExecArgs.of(List.of("a"), many.subList(0, 18), "a"), EXE, 0, params());
        e = assertThrows(LoaderException.class, () -> InitialStack.build(stackMemory(), TOP, SIZE,
                ExecArgs.of(List.of("a\0b"), List.of(), "a"), EXE, 0, params()));
        assertEquals(LoaderException.EINVAL, e.errno());
    }

    /** The key order glibc's LD_SHOW_AUXV prints for a real process on this host. */
    @Test
    void orderMatchesHostAuxv() throws Exception {
        NativeBinaries.Result r;
        try {
            r = NativeBinaries.run(List.of("/bin/true"), Map.of("LD_SHOW_AUXV", "1"));
        } catch (IOException e) {
            assertTrue(false, "no /bin/true");
            return;
        }
        List<Integer> host = new ArrayList<>();
        List<Auxv.Entry> extras = new ArrayList<>();
        boolean afterPlatform = false;
        for (String line : r.text().split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            int type;
            if (name.startsWith("AT_??? (0x")) {
                type = Integer.parseInt(name.substring(10, name.indexOf(')')), 16);
            } else {
                type = List.of(Auxv.AT_SYSINFO_EHDR, Auxv.AT_MINSIGSTKSZ, Auxv.AT_HWCAP, Auxv.AT_PAGESZ, Auxv.AT_CLKTCK,
                        Auxv.AT_PHDR, Auxv.AT_PHENT, Auxv.AT_PHNUM, Auxv.AT_BASE, Auxv.AT_FLAGS, Auxv.AT_ENTRY, Auxv.AT_UID,
                        Auxv.AT_EUID, Auxv.AT_GID, Auxv.AT_EGID, Auxv.AT_SECURE, Auxv.AT_RANDOM, Auxv.AT_HWCAP2,
                        Auxv.AT_EXECFN, Auxv.AT_PLATFORM, Auxv.AT_RSEQ_FEATURE_SIZE, Auxv.AT_RSEQ_ALIGN).stream()
                        .filter(t -> Auxv.name(t).equals(name)).findFirst().orElse(-1);
            }
            assertTrue(type >= 0, "unknown key " + name);
            host.add(type);
            if (afterPlatform) {
                extras.add(new Auxv.Entry(type, 0));
            }
            afterPlatform |= type == Auxv.AT_PLATFORM;
        }
        assertTrue(host.contains(Auxv.AT_PLATFORM), "LD_SHOW_AUXV not supported: " + r.text());
        FakeMemory mem = stackMemory();
        StackParams params = StackParams.builder().random(RANDOM).vdsoBase(host.contains(Auxv.AT_SYSINFO_EHDR) ? 0x7fff0000 : 0)
                .extraAuxv(extras).build();
        StackLayout s = InitialStack.build(mem, TOP, SIZE, ExecArgs.of(List.of("true"), List.of(), "/bin/true"), EXE, 0, params);
        List<Integer> ours = s.auxv().stream().map(e -> (int) e.type()).filter(t -> t != Auxv.AT_NULL).toList();
        assertEquals(host, ours);
    }
}
