package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timers as programs see them: alarm/setitimer/getitimer and POSIX timers print what they print
 * natively (the itimer and posixtimers samples exercise every call and errno), python3's
 * signal.setitimer and signal.alarm behave as natively, and interval timers keep running across a
 * checkpoint: neither an expiry lost nor one fired twice.
 */
class TimersTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");


    @ParameterizedTest(name = "[{0}] itimer")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void itimerSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "itimer"), Native.sample("itimer"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("alarm(3): 5\n"), r::describe);
        assertTrue(r.stdout().contains("pending: interval 20000 value 0\n"), r::describe);
        assertTrue(r.stdout().contains("PROF signals >= 3: yes\n"), r::describe);
        assertTrue(r.stdout().contains("after exec REAL: interval 1.000000 value in range\n"), r::describe);
    }

    @Test
    void alarmKillsWithItsDefaultAction() {
        Run r = Expect.compare(Jvisor.sample(Platforms.first(), "itimer", "die"), Native.sample("itimer", "die"));
        assertEquals(128 + 14, r.exitCode, r::describe);
    }

    /** Every POSIX timer call and errno, SIGEV_THREAD_ID to another thread, and glibc's SIGEV_THREAD. */
    @ParameterizedTest(name = "[{0}] posixtimers")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void posixtimersSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "posixtimers"), Native.sample("posixtimers"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("next id: 9\n"), r::describe);
        assertTrue(r.stdout().contains("si_overrun >= 15: yes, getoverrun same: yes\n"), r::describe);
        assertTrue(r.stdout().contains("after disarm: dropped\n"), r::describe);
        assertTrue(r.stdout().contains("SIGEV_THREAD_ID: 1 signal, in the worker 1, value 42\n"), r::describe);
        assertTrue(r.stdout().contains("SIGEV_THREAD notifications >= 5: yes, value 1234\n"), r::describe);
        assertTrue(r.stdout().contains("after exec next id: 14\n"), r::describe);
    }

    // ---- python3 ---------------------------------------------------------------------------------------

    @Test
    void pythonSetitimer() {
        String code = String.join("\n",
                "import signal, time",
                "n = [0]",
                "def h(s, f): n[0] += 1",
                "signal.signal(signal.SIGALRM, h)",
                "print(signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05))",
                "while n[0] < 5: time.sleep(0.01)",
                "old = signal.setitimer(signal.ITIMER_REAL, 0)",
                "print(n[0] >= 5, old[1], 0 < old[0] <= 0.05)",
                "print(signal.getitimer(signal.ITIMER_REAL))",
                "signal.setitimer(signal.ITIMER_REAL, 1.5, 0.25)",
                "v, i = signal.getitimer(signal.ITIMER_REAL)",
                "print(1.4 < v <= 1.5, i)",
                "signal.setitimer(signal.ITIMER_REAL, 0)",
                "p = [0]",
                "signal.signal(signal.SIGPROF, lambda s, f: p.__setitem__(0, p[0] + 1))",
                "signal.setitimer(signal.ITIMER_PROF, 0.02, 0.02)",
                "t = time.time()",
                "while p[0] < 3 and time.time() - t < 20: sum(range(1000))",
                "signal.setitimer(signal.ITIMER_PROF, 0)",
                "print('SIGPROFs', p[0] >= 3)",
                "try:\n    signal.setitimer(signal.ITIMER_REAL, -1)\nexcept Exception as e:\n    print(type(e).__name__)",
                "try:\n    signal.setitimer(99, 1)\nexcept Exception as e:\n    print(type(e).__name__, e)");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code), Native.run(PYTHON, "-c", code));
        assertTrue(r.stdout().startsWith("(0.0, 0.0)\nTrue 0.05 True\n(0.0, 0.0)\nTrue 0.25\nSIGPROFs True\n"), r::describe);
    }

    @Test
    void pythonAlarm() {
        String code = String.join("\n",
                "import signal, time",
                "print(signal.alarm(10), signal.alarm(3), signal.alarm(0))",
                "class Timeout(Exception): pass",
                "def h(s, f): raise Timeout()",
                "signal.signal(signal.SIGALRM, h)",
                "signal.alarm(1)",
                "t = time.monotonic()",
                "try:\n    time.sleep(10)\nexcept Timeout:\n    print('timed out', 0.9 < time.monotonic() - t < 5)",
                "signal.signal(signal.SIGALRM, signal.SIG_DFL)",
                "signal.alarm(1)",
                "time.sleep(10)",
                "print('not reached')");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code), Native.run(PYTHON, "-c", code));
        assertEquals("0 10 3\ntimed out True\n", r.stdout(), r::describe);
        assertEquals(128 + 14, r.exitCode, r::describe);
    }

    // ---- checkpoint -----------------------------------------------------------------------------------

    /**
     * An ITIMER_REAL every 50 ms, a POSIX interval timer and a one-shot POSIX timer, checkpointed in
     * the middle and restored a second later: the output before plus after equals the native run,
     * which checks on the sandbox's monotonic clock that every expiry came once and on time.
     */
    @ParameterizedTest(name = "[{0}] timers across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void timersSurviveCheckpoint(String platform) throws InterruptedException {
        Path img = Jvisor.scratch("timerckpt").resolve("img");
        Run nat = Native.sample("timerckpt").run();
        assertEquals(0, nat.exitCode, nat::describe);
        Run before = Jvisor.cmd("do", "--platform", platform, "--checkpoint-after", "300ms", "--image-path", img.toString(),
                "--", Jvisor.sample("timerckpt").toString()).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        Thread.sleep(1000); // the snapshot sits a while: sandbox timers must not count that time
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertFalse(before.stdout().isEmpty(), () -> "the checkpoint came before any output\n" + before.describe());
        assertFalse(after.stdout().isEmpty(), () -> "the checkpoint came too late\n" + before.describe());
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        assertTrue(joined.contains("one-shot fired once, on time: yes\n"), joined);
        Jvisor.deleteTree(img.getParent());
    }
}
