package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The launcher's user-facing behaviour: --strace, bad programs and flags, help. */
class CliTest {

    @ParameterizedTest(name = "[{0}] --strace hello")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void straceShowsDecodedSyscalls(String platform) {
        Run r = Jvisor.cmd("do", "--platform", platform, "--strace", "--", Jvisor.sample("hello").toString()).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertEquals("hello from jvisor\n", r.stdout(), "strace goes to stderr, never stdout");
        assertTrue(r.stderr().contains("write(1, \"hello from jvisor\\n\", 18) = 18"), r::describe);
        assertTrue(r.stderr().contains("exit_group(0)"), r::describe);
    }

    /** Exactly one line on stderr, starting with "jvisor:", and no Java stack trace. */
    private static String oneJvisorLine(Run r) {
        Expect.clean(r);
        List<String> lines = r.stderrLines();
        assertEquals(1, lines.size(), () -> "expected exactly one line on stderr\n" + r.describe());
        assertTrue(lines.get(0).startsWith("jvisor: "), r::describe);
        assertEquals("", r.stdout(), r::describe);
        return lines.get(0);
    }

    @Test
    void missingProgramExits127() {
        Path missing = Jvisor.home().resolve("tests/target/no-such-program");
        Run r = Jvisor.run(Platforms.first(), missing).run();
        assertEquals(127, r.exitCode, r::describe);
        String line = oneJvisorLine(r);
        assertTrue(line.contains("no-such-program"), line);
    }

    @Test
    void missingProgramOnPathExits127() {
        Run r = Jvisor.cmd("do", "--platform", Platforms.first(), "--", "jvisor-no-such-command-xyz").run();
        assertEquals(127, r.exitCode, r::describe);
        assertTrue(oneJvisorLine(r).contains("jvisor-no-such-command-xyz"));
    }

    @Test
    void nonElfFileExits126() throws IOException {
        Path dir = Jvisor.scratch("nonelf");
        Path text = dir.resolve("not-a-program");
        Files.writeString(text, "this is plain text, not an ELF file\n");
        assertTrue(text.toFile().setExecutable(true));
        Run r = Jvisor.run(Platforms.first(), text).run();
        assertEquals(126, r.exitCode, r::describe);
        assertTrue(oneJvisorLine(r).contains("not-a-program"), r::describe);
        Jvisor.deleteTree(dir);
    }

    @Test
    void directoryExits126() {
        Path dir = Jvisor.scratch("dir-as-program");
        Run r = Jvisor.run(Platforms.first(), dir).run();
        assertEquals(126, r.exitCode, r::describe);
        oneJvisorLine(r);
        Jvisor.deleteTree(dir);
    }

    /**
     * A dynamically linked program (/bin/true): refused with 126 and a line saying it is dynamically
     * linked while the sandbox runs static programs only; once it runs them, it must behave as natively.
     */
    @Test
    void dynamicallyLinkedProgram() {
        Path dyn = Path.of("/bin/true");
        Run r = Jvisor.run(Platforms.first(), dyn).run();
        if (r.exitCode == 126) {
            assertTrue(oneJvisorLine(r).contains("dynamically"), r::describe);
        } else {
            Expect.sameAsNative(r, Native.run(dyn).run());
            Run f = Jvisor.run(Platforms.first(), Path.of("/bin/false")).run();
            Expect.sameAsNative(f, Native.run(Path.of("/bin/false")).run());
        }
    }

    @Test
    void unknownPlatformIsRefused() {
        Run r = Jvisor.cmd("do", "--platform", "bogus", "--", Jvisor.sample("hello").toString()).run();
        assertNotEquals(0, r.exitCode, r::describe);
        assertTrue(oneJvisorLine(r).contains("bogus"), r::describe);
    }

    @Test
    void unknownPlatformBeforeSubcommandIsRefused() {
        Run r = Jvisor.cmd("--platform", "bogus", "do", "--", Jvisor.sample("hello").toString()).run();
        assertNotEquals(0, r.exitCode, r::describe);
        assertTrue(oneJvisorLine(r).contains("bogus"), r::describe);
    }

    @Test
    void helpSyscallsPrintsTheTable() {
        Run r = Jvisor.cmd("help", "syscalls").run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().matches("(?s).*\\n\\s*1 write\\s+supported.*"), r::describe);
        assertTrue(r.stdout().matches("(?s).*\\n\\s*231 exit_group\\s+supported.*"), r::describe);
    }
}
