package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Waiting on many things, as programs see it: poll, ppoll, select and pselect6 (the poll sample),
 * epoll (epoll sample), eventfd and timerfd (eventfd_timerfd sample) print the same as natively on
 * every platform, real programs (python3's select and selectors modules) behave as natively, and a
 * program blocked in epoll_wait on a periodic timerfd carries on after a checkpoint and restore.
 */
class PollTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String STDIN = "a line on stdin\n";

    private static Run compare(Run.Spec sandbox, Run.Spec nat) {
        Run n = nat.run();
        Run r = sandbox.run();
        Expect.sameAsNative(r, n);
        assertEquals(0, r.exitCode, r::describe);
        return r;
    }

    /** A sample run natively (files in a scratch directory) and in the sandbox (files in its /tmp). */
    private static Run sample(String platform, String name) {
        Path dir = Jvisor.scratch(name);
        Run r = compare(Jvisor.sample(platform, name, "/tmp").stdin(STDIN), Native.sample(name, dir.toString()).stdin(STDIN));
        Jvisor.deleteTree(dir);
        return r;
    }

    @ParameterizedTest(name = "[{0}] poll, ppoll, select, pselect6")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pollSample(String platform) {
        Run r = sample(platform, "poll");
        assertTrue(r.stdout().contains("poll 5 fds: 3 revents 0x1 0x4 0 0x20 0\n"), r::describe);
        assertTrue(r.stdout().contains("select closed fd 50: -1 EBADF\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] epoll")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void epollSample(String platform) {
        Run r = sample(platform, "epoll");
        assertTrue(r.stdout().contains("ET: nothing new                      0\n"), r::describe);
        assertTrue(r.stdout().contains("ADD outer to inner (a loop): -1 ELOOP\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] eventfd and timerfd")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void eventfdTimerfdSample(String platform) {
        Run r = sample(platform, "eventfd_timerfd");
        assertTrue(r.stdout().contains("abs 950ms ago, every 100ms: 8 value 10\n"), r::describe);
        assertTrue(r.stdout().contains("epoll_wait on a periodic timer: 3 of 3, waited>=30 1\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] waits ended by threads, a child and signal handlers; masks for the wait")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pollsigSample(String platform) {
        Run r = compare(Jvisor.sample(platform, "pollsig"), Native.sample("pollsig"));
        assertTrue(r.stdout().contains("epoll_wait, an SA_RESTART handler: -1 EINTR handled 4\n"), r::describe);
        assertTrue(r.stdout().contains("ppoll lets a pending signal in: -1 EINTR handled 6 still blocked after 1\n"),
                r::describe);
    }

    /** python3's select.select, select.poll, select.epoll and selectors.DefaultSelector on a pipe it owns. */
    @Test
    void pythonSelectAndSelectors() {
        String code = String.join("\n",
                "import os, select, selectors, time",
                "r, w = os.pipe()",
                "print(select.select([r], [w], [], 0) == ([], [w], []))",
                "os.write(w, b'hi')",
                "print(select.select([r], [], [], 1.0)[0] == [r])",
                "p = select.poll()",
                "p.register(r, select.POLLIN)",
                "print([(fd == r, ev) for fd, ev in p.poll(0)])",
                "sel = selectors.DefaultSelector()",
                "print(type(sel).__name__)",
                "sel.register(r, selectors.EVENT_READ, 'reader')",
                "sel.register(w, selectors.EVENT_WRITE, 'writer')",
                "print(sorted((k.data, m) for k, m in sel.select(0)))",
                "os.read(r, 2)",
                "print(sorted((k.data, m) for k, m in sel.select(0)))",
                "sel.unregister(w)",
                "t0 = time.monotonic()",
                "print(sel.select(0.05), time.monotonic() - t0 >= 0.05)",
                "e = select.epoll()",
                "e.register(r, select.EPOLLIN | select.EPOLLET)",
                "os.write(w, b'x')",
                "print([(fd == r, ev) for fd, ev in e.poll(0)], e.poll(0))",
                "os.close(w)",
                "print([(fd == r, ev) for fd, ev in e.poll(0)])");
        Run r = compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code), Native.run(PYTHON, "-c", code));
        assertEquals("True\nTrue\n[(True, 1)]\nEpollSelector\n[('reader', 1), ('writer', 2)]\n[('writer', 2)]\n"
                + "[] True\n[(True, 1)] []\n[(True, 17)]\n", r.stdout());
    }

    // ---- checkpoint -----------------------------------------------------------------------------------

    /**
     * The epollckpt sample checkpointed after {@code delay} and restored: the output before plus after
     * equals an uninterrupted native run, whichever wait (sleep, epoll_wait on the periodic timerfd,
     * poll on it) the checkpoint caught.
     */
    private static void checkpointRoundTrip(String platform, String delay) {
        Path img = Jvisor.scratch("epollckpt").resolve("img");
        Run nat = Native.sample("epollckpt").run();
        assertEquals(0, nat.exitCode, nat::describe);
        Run before = Jvisor.cmd("do", "--platform", platform, "--checkpoint-after", delay, "--image-path",
                img.toString(), "--", Jvisor.sample("epollckpt").toString()).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertFalse(after.stdout().isEmpty(), () -> "the checkpoint came too late\n" + before.describe());
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        assertTrue(joined.endsWith("eventfd edges 1 value 5; one-shot pipe fired 1, again 0\n"), joined);
        Jvisor.deleteTree(img.getParent());
    }

    @ParameterizedTest(name = "[{0}] blocked in epoll_wait on a periodic timerfd across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void epollWaitSurvivesCheckpoint(String platform) {
        checkpointRoundTrip(platform, "1000ms");
    }

    @Test
    void pollSurvivesCheckpoint() {
        checkpointRoundTrip(Platforms.first(), "1700ms");
    }

    @Test
    void epollReadyListSurvivesCheckpoint() {
        checkpointRoundTrip(Platforms.first(), "250ms");
    }
}
