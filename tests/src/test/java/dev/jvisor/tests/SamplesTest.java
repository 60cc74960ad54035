package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each C sample (samples/c) run in the sandbox gives the same stdout and exit code as run natively,
 * on every enabled platform ({@link Platforms}).
 */
class SamplesTest {

    static Stream<Arguments> platformsAndExitCodes() {
        List<Arguments> out = new ArrayList<>();
        for (String p : Platforms.enabled()) {
            for (String code : List.of("0", "1", "42", "255", "256")) {
                out.add(Arguments.of(p, code));
            }
        }
        return out.stream();
    }

    /** Runs SAMPLE ARGS in the sandbox and natively and compares stdout and exit code. */
    private static Run compare(String platform, String sample, String... args) {
        Run nat = Native.sample(sample, args).run();
        Run sb = Jvisor.sample(platform, sample, args).run();
        Expect.sameAsNative(sb, nat);
        return sb;
    }

    @ParameterizedTest(name = "[{0}] hello")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void hello(String platform) {
        Run r = compare(platform, "hello");
        assertEquals("hello from jvisor\n", r.stdout());
        assertEquals(0, r.exitCode);
    }

    @ParameterizedTest(name = "[{0}] count")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void count(String platform) {
        compare(platform, "count", "5", "10");
    }

    /** argv (spaces, empty, non-ASCII, long), environment, auxiliary vector and initial stack layout. */
    @ParameterizedTest(name = "[{0}] args")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void args(String platform) {
        String[] argv = {"one", "two words", "", "ünïcödé ✓", "x".repeat(5000), "--flag=value", "'quoted'\"", "*"};
        Run.Spec nat = Native.sample("args", argv);
        Run.Spec sb = Jvisor.sample(platform, "args", argv);
        for (Run.Spec s : List.of(nat, sb)) {
            s.env("JVT_A", "hello world").env("JVT_B", "x=y=z").env("JVT_EMPTY", "").env("JVT_UTF8", "ünï ✓");
        }
        Run n = nat.run();
        Run r = sb.run();
        Expect.sameAsNative(r, n);
        assertTrue(r.stdout().contains("env JVT_B=x=y=z\n"), r::describe);
        assertTrue(r.stdout().contains("initial stack 16-byte aligned: yes\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] memory")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void memory(String platform) {
        Run r = compare(platform, "memory");
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] errors")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void errors(String platform) {
        Run r = compare(platform, "errors");
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
        // An unknown syscall is reported once on stderr, in one line.
        assertTrue(r.stderrLines().stream().anyMatch(l -> l.startsWith("jvisor: unsupported syscall") && l.contains("ENOSYS")),
                r::describe);
    }

    @ParameterizedTest(name = "[{0}] fpu")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void fpu(String platform) {
        Run r = compare(platform, "fpu");
        assertTrue(r.stdout().contains("syscall results wrong: 0\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] exitcode {1}")
    @MethodSource("platformsAndExitCodes")
    void exitCode(String platform, String code) {
        Run r = compare(platform, "exitcode", code);
        assertEquals(Integer.parseInt(code) & 0xff, r.exitCode);
    }

    @ParameterizedTest(name = "[{0}] abort")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void abort(String platform) {
        Run r = compare(platform, "abort");
        assertEquals(134, r.exitCode, r::describe);
    }

    @ParameterizedTest(name = "[{0}] segv")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void segv(String platform) {
        Run r = compare(platform, "segv");
        assertEquals(139, r.exitCode, r::describe);
        assertEquals("about to fault\n", r.stdout());
    }

    /** stdin passes through unchanged: text and every byte value, more than one 4 KiB read. */
    @ParameterizedTest(name = "[{0}] echo_stdin")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void echoStdin(String platform) {
        byte[] input = new byte[10_000];
        new Random(42).nextBytes(input);
        for (int i = 0; i < 256; i++) {
            input[i] = (byte) i;
        }
        byte[] text = Expect.utf8("line one\nline two\n");
        System.arraycopy(text, 0, input, 300, text.length);
        Run nat = Native.sample("echo_stdin").stdin(input).run();
        Run r = Jvisor.sample(platform, "echo_stdin").stdin(input).run();
        Expect.sameAsNative(r, nat);
        assertArrayEquals(input, r.stdoutBytes);
        assertTrue(r.stderr().contains("echo_stdin: 10000 bytes\n"), r::describe);
        // Empty stdin (/dev/null): nothing out, a zero count.
        Run empty = Jvisor.sample(platform, "echo_stdin").run();
        Expect.clean(empty);
        assertEquals(0, empty.exitCode, empty::describe);
        assertEquals("", empty.stdout());
        assertTrue(empty.stderr().contains("echo_stdin: 0 bytes\n"), empty::describe);
    }

    @ParameterizedTest(name = "[{0}] sleepcount")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sleepcount(String platform) {
        Run r = compare(platform, "sleepcount", "8", "20");
        assertEquals(0, r.exitCode, r::describe);
    }

    /** The benchmark program runs and reports a number (its value is for benchmarks, not asserted). */
    @ParameterizedTest(name = "[{0}] getppid_bench")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void getppidBench(String platform) {
        Run r = Jvisor.sample(platform, "getppid_bench", "2000").run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().matches("(?s)calls 2000\nns_per_call [0-9]+\\.[0-9]\n"), r::describe);
    }
}
