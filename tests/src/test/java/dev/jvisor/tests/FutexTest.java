package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * futex(2), futex_waitv(2) and the robust-list calls as programs see them: every operation's checks,
 * results and errnos match a native run, and timed waits keep their deadline across a checkpoint.
 */
class FutexTest {
    @ParameterizedTest(name = "[{0}] futex")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void futexSample(String platform) {
        Run n = Native.sample("futex").run();
        Run r = Jvisor.sample(platform, "futex").run();
        Expect.sameAsNative(r, n);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("wake_op cmp 6: -1 ENOSYS\n  word 5 -> 6\n"), r::describe);
        assertTrue(r.stdout().contains("cmp_requeue mismatch: -1 EAGAIN\n"), r::describe);
        assertTrue(r.stdout().contains("lock_pi dead owner: -1 ESRCH\n  word 0xbfff0000\n"), r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    /**
     * Threads and processes contending: pthread mutexes (plain, recursive, PI), condition variables,
     * barriers and rwlocks, robust mutexes whose owner thread or process dies, shared locks across
     * fork, and the raw operations with real waiters (WAKE_OP, CMP_REQUEUE, bitsets, futex_waitv, PI
     * hand-over, requeue-PI, a wait interrupted by a signal).
     */
    @ParameterizedTest(name = "[{0}] futexmt")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void contendedFutexes(String platform) {
        Run n = Native.sample("futexmt").run();
        Run r = Jvisor.sample(platform, "futexmt").run();
        Expect.sameAsNative(r, n);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("robust PI: lock after the owner died: Owner died\n"), r::describe);
        assertTrue(r.stdout().contains("shared robust mutex after the child died: Owner died\n"), r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    /**
     * A relative FUTEX_WAIT interrupted by a checkpoint resumes through restart_syscall(2) with its
     * absolute deadline: after the restore it times out once, after about its timeout in all. Threads
     * blocked meanwhile in a condition variable, a PI mutex, a barrier and pthread_join carry on.
     */
    @ParameterizedTest(name = "[{0}] futex waits across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void timedWaitsSurviveCheckpoint(String platform) {
        Path img = Jvisor.scratch("futexckpt").resolve("img");
        Run nat = Native.sample("futexckpt", "2000").run();
        assertEquals(0, nat.exitCode, nat::describe);
        Run before = Jvisor.cmd("do", "--platform", platform, "--checkpoint-after", "1s", "--image-path", img.toString(),
                "--", Jvisor.sample("futexckpt").toString(), "2000").run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        assertEquals("waiting 2000 ms twice\n", before.stdout(), before::describe);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertFalse(after.stdout().isEmpty(), after::describe);
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        Jvisor.deleteTree(img.getParent());
    }
}
