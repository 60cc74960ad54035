package dev.jvisor.kernel.loader;

import static dev.jvisor.kernel.loader.ProgramHeader.PF_R;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_W;
import static dev.jvisor.kernel.loader.ProgramHeader.PF_X;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Crafted executables are exec'd by the host kernel and by our loader; the outcome must agree:
 * the same errno when execve fails, "SIGSEGV" when Linux fails after its point of no return (our
 * exception is then marked so), or success.
 */
class ExecErrnoParityTest {
    /** mov eax, 60; xor edi, edi; syscall: exit(0). */
    static final byte[] EXIT0 = {(byte) 0xb8, 60, 0, 0, 0, 0x31, (byte) 0xff, 0x0f, 0x05};

    static TestElf program() {
        return TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000).put(0x1000, EXIT0);
    }

    static TestElf withInterp(String path) {
        byte[] p = (path + "\0").getBytes(StandardCharsets.US_ASCII);
        return program().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, p.length, p.length, 1).put(0x1800, p);
    }

    static Path write(String name, byte[] content) throws Exception {
        Path p = NativeBinaries.tempDir().resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        p.toFile().deleteOnExit();
        return p;
    }

    /** What the host kernel does with execve(file). */
    static String linux(Path file) throws Exception {
        NativeBinaries.Result r = NativeBinaries.run(List.of(NativeBinaries.execProbe().toString(), file.toString()), Map.of());
        if (r.exit() == 128 + 11) {
            return "SIGSEGV";
        }
        String out = r.text().trim();
        return out.isEmpty() && r.exit() == 0 ? "ok" : out.isEmpty() ? "exit " + r.exit() : out;
    }

    /** What our loader does with the same file, in an address space with Linux's TASK_SIZE. */
    static String ours(Path file) throws Exception {
        FakeMemory mem = new FakeMemory(0x7f0000000000L, LinuxParityTest.TASK_SIZE);
        try (HostElfSource src = HostElfSource.open(file)) {
            ElfFile exe = ElfFile.parse(src);
            if (exe.interpreter() == null) {
                ElfLoader.load(exe, src, mem);
                return "ok";
            }
            try (HostElfSource ldSrc = HostElfSource.open(Path.of(exe.interpreter()))) {
                ElfFile ld = ElfFile.parseInterpreter(ldSrc);
                ElfLoader.load(exe, src, mem);
                ElfLoader.loadInterpreter(ld, ldSrc, mem);
                return "ok";
            }
        } catch (LoaderException e) {
            return e.pastPointOfNoReturn() ? "SIGSEGV" : "errno " + e.errno();
        }
    }

    @Test
    void outcomesMatchTheHostKernel() throws Exception {
        Path script = write("short-script", "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
        Path armInterp = write("arm-interp", program().machine(183).type(ElfFile.ET_DYN).bytes());
        Path noPhdrInterp = write("nophdr-interp", program().type(ElfFile.ET_DYN).phnum(0).bytes());

        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("valid", program().bytes());
        cases.put("text", "echo not elf\n".getBytes(StandardCharsets.US_ASCII));
        cases.put("truncated", Arrays.copyOf(program().bytes(), 40));
        cases.put("et-rel", program().type(1).bytes());
        cases.put("aarch64", program().machine(183).bytes());
        cases.put("phentsize", program().phentsize(32).bytes());
        cases.put("phnum-0", program().phnum(0).bytes());
        cases.put("phnum-1170", program().phnum(1170).size(0x20000).bytes());
        cases.put("phnum-1171", program().phnum(1171).size(0x20000).bytes());
        cases.put("phoff-eof", program().phoff(0x100000).bytes());
        cases.put("interp-no-nul", program().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, 4, 4, 1)
                .put(0x1800, "/abc".getBytes(StandardCharsets.US_ASCII)).bytes());
        cases.put("interp-size-1", program().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, 1, 1, 1).bytes());
        cases.put("interp-size-5000", program().ph(ProgramHeader.PT_INTERP, PF_R, 0x1800, 0, 5000, 5000, 1).size(0x4000).bytes());
        cases.put("interp-past-eof", program().ph(ProgramHeader.PT_INTERP, PF_R, 0x10000, 0, 3, 3, 1).bytes());
        cases.put("interp-short-file", withInterp(script.toString()).bytes());
        cases.put("interp-wrong-machine", withInterp(armInterp.toString()).bytes());
        cases.put("interp-no-phdrs", withInterp(noPhdrInterp.toString()).bytes());
        cases.put("interp-missing", withInterp("/nonexistent/ld.so").bytes());
        cases.put("filesz-gt-memsz", TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0x1000).put(0x1000, EXIT0).bytes());
        cases.put("memsz-overflow", TestElf.exec().load(PF_R | PF_X, 0, 0x400000, 0x2000, 0xffffffffffff0000L).bytes());
        cases.put("above-task-size", TestElf.exec().entry(0x800000001000L).load(PF_R | PF_X, 0, 0x800000000000L, 0x2000, 0x2000).bytes());
        cases.put("bss-above-task-size", program().load(PF_R | PF_W, 0, 0x7fffffff0000L, 0, 0x100000).bytes());
        cases.put("incongruent", TestElf.exec().load(PF_R | PF_X, 0x10, 0x400000, 0x1000, 0x1000).bytes());
        cases.put("dyn-no-load", TestElf.exec().type(ElfFile.ET_DYN).ph(ProgramHeader.PT_NOTE, PF_R, 0, 0, 0, 0, 4).bytes());

        StringBuilder expected = new StringBuilder();
        StringBuilder actual = new StringBuilder();
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path file = write("case-" + c.getKey(), c.getValue());
            expected.append(c.getKey()).append(": ").append(linux(file)).append('\n');
            actual.append(c.getKey()).append(": ").append(ours(file)).append('\n');
        }
        System.out.print("host kernel outcomes:\n" + expected);
        assertEquals(expected.toString(), actual.toString());
    }
}
