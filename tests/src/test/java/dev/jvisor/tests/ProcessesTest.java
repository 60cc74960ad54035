package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No stub process outlives its sandbox: not after a normal exit, a fatal signal, or the jvisor process
 * itself being killed with SIGKILL. Stubs are recognised by "jvisor-stub" in /proc/PID/cmdline or, as a
 * running stub unmaps its original stack and so has an empty cmdline, in /proc/PID/comm; they are
 * attributed to a run by being its descendants while it runs (other sandboxes may run concurrently).
 */
class ProcessesTest {
    private static final long GRACE_MS = 3000;

    static Set<Long> stubs() {
        Set<Long> out = new HashSet<>();
        try (var s = Files.list(Path.of("/proc"))) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && isStub(Long.parseLong(name))) {
                    out.add(Long.parseLong(name));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static boolean isStub(long pid) {
        return cmdline(pid).contains("jvisor-stub") || comm(pid).startsWith("jvisor-stub");
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Descendant stubs of the jvisor process, collected by polling while it runs. */
    private static Set<Long> watchStubs(Process p, Set<Long> into, long forMillis) {
        long end = System.currentTimeMillis() + forMillis;
        while (p.isAlive() && System.currentTimeMillis() < end) {
            p.descendants().forEach(h -> {
                if (isStub(h.pid())) {
                    into.add(h.pid());
                }
            });
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return into;
    }

    /** Waits up to the grace period for every pid in {@code pids} to be gone (zombies count as gone once reaped). */
    private static Set<Long> survivors(Set<Long> pids, Set<Long> before) {
        long end = System.currentTimeMillis() + GRACE_MS;
        Set<Long> left;
        do {
            left = new HashSet<>();
            Set<Long> now = stubs();
            for (long pid : pids) {
                if (now.contains(pid)) { // still there, zombie or not
                    left.add(pid);
                }
            }
            // Orphaned stubs that appeared during the run (reparented away from any jvisor JVM).
            for (long pid : now) {
                if (!before.contains(pid) && !pids.contains(pid) && orphan(pid)) {
                    left.add(pid);
                }
            }
            if (left.isEmpty()) {
                return left;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        } while (System.currentTimeMillis() < end);
        return left;
    }

    private static boolean orphan(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(parent -> {
            String c = cmdline(parent.pid());
            return !c.contains("java") && !isStub(parent.pid());
        }).orElse(false);
    }

    @ParameterizedTest(name = "[{0}] no stubs left after a normal exit")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void noStubsAfterExit(String platform) {
        Set<Long> before = stubs();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Run r = Jvisor.sample(platform, "count", "8", "50").whileRunning(p -> watchStubs(p, seen, 30_000)).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertFalse(seen.isEmpty(), "no jvisor-stub process seen while the sandbox ran (is the stub named differently?)");
        Set<Long> left = survivors(seen, before);
        assertTrue(left.isEmpty(), () -> "stub processes left after the run: " + describe(left));
    }

    @ParameterizedTest(name = "[{0}] no stubs left after a fatal signal")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void noStubsAfterFatalSignal(String platform) {
        Set<Long> before = stubs();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Run r = Jvisor.sample(platform, "segv").whileRunning(p -> watchStubs(p, seen, 30_000)).run();
        Expect.clean(r);
        assertEquals(139, r.exitCode, r::describe);
        Set<Long> left = survivors(seen, before);
        assertTrue(left.isEmpty(), () -> "stub processes left after the run: " + describe(left));
    }

    /** SIGKILL of the jvisor JVM itself: its stubs must die too (PR_SET_PDEATHSIG). */
    @ParameterizedTest(name = "[{0}] no stubs left after jvisor is SIGKILLed")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void noStubsAfterJvisorKilled(String platform) {
        Set<Long> before = stubs();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Run r = Jvisor.sample(platform, "count", "200", "50").whileRunning(p -> {
            // Wait until the program prints (it runs in a stub), then kill the JVM.
            long end = System.currentTimeMillis() + 30_000;
            while (seen.isEmpty() && p.isAlive() && System.currentTimeMillis() < end) {
                watchStubs(p, seen, 100);
            }
            watchStubs(p, seen, 300);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).run();
        assertEquals(137, r.exitCode, r::describe);
        assertFalse(seen.isEmpty(), "no jvisor-stub process seen while the sandbox ran");
        Set<Long> left = survivors(seen, before);
        assertTrue(left.isEmpty(), () -> "stub processes left after jvisor was killed: " + describe(left));
    }

    private static String describe(Set<Long> pids) {
        StringBuilder sb = new StringBuilder();
        for (long pid : pids) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).trim();
            } catch (IOException e) {
                stat = "(gone)";
            }
            sb.append("\n  ").append(pid).append(": ").append(stat);
        }
        return sb.toString();
    }
}
