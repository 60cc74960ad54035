package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
