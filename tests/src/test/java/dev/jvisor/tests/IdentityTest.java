package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials, capabilities, resource limits, scheduling, prctl and resource usage as programs see
 * them: the ident sample (every call with valid and invalid arguments, run as root, dropping its
 * privileges at the end) prints the same as natively; RLIMIT_FSIZE's SIGXFSZ kills as natively;
 * shells and python see the host's limits and identity; and all of it survives a checkpoint.
 */
class IdentityTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");


    @ParameterizedTest(name = "[{0}] ident")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void identSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "ident"), Native.sample("ident"));
        assertEquals(0, r.exitCode, r::describe);
        String out = r.stdout();
        assertTrue(out.contains("e1000: open root-only file EACCES, access R_OK EACCES, eaccess R_OK EACCES\n"), r::describe);
        assertTrue(out.contains("dropped: caps eff 0000000000000000 prm 0000000000000000 inh 0000000000000000\n"), r::describe);
        assertTrue(out.contains("opened up to fd 15, then EMFILE\n"), r::describe);
        assertTrue(out.contains("write past the limit = -1 EFBIG\n"), r::describe);
        assertTrue(out.contains("status Groups:\t3 3 5 1000 4000000000 \n"), r::describe);
        assertTrue(out.contains("name [ident-renamed-w]\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] SIGXFSZ kills past RLIMIT_FSIZE")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void fileSizeLimitSignal(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "ident", "fsize-kill"), Native.sample("ident", "fsize-kill"));
        assertEquals(128 + 25, r.exitCode, r::describe);
        assertEquals("write 150000: 100000\n", r.stdout());
    }

    @Test
    void shellSeesTheHostsLimitsAndIdentity() {
        Path sh = Path.of("/bin/sh");
        String script = "ulimit -a; id; ulimit -n 100; ulimit -n; ulimit -S -c 0; ulimit -c; ulimit -f 1; ulimit -f";
        Expect.compare(Jvisor.run(Platforms.first(), sh, "-c", script), Native.run(sh, "-c", script));
        Path grep = Path.of("/bin/grep");
        String[] status = {"-E", "^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs|Cpus_allowed(_list)?):", "/proc/self/status"};
        Expect.compare(Jvisor.run(Platforms.first(), grep, status), Native.run(grep, status));
    }

    @Test
    void pythonIdentityLimitsAndScheduling() {
        String code = String.join("\n",
                "import os, resource",
                "print(os.getresuid(), os.getresgid(), os.getgroups())",
                "print([resource.getrlimit(r) for r in range(16)])",
                "print(sorted(os.sched_getaffinity(0)), os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, 0))",
                "os.setpriority(os.PRIO_PROCESS, 0, 4); print(os.nice(0), os.nice(2))",
                "print(os.sched_get_priority_max(os.SCHED_FIFO), os.sched_get_priority_min(os.SCHED_RR))",
                "os.sched_setaffinity(0, {0}); print(os.sched_getaffinity(0))",
                "os.setgroups([7, 3]); os.setresgid(1, 2, 3); os.setresuid(5, 6, 0); print(os.getresuid(), os.getresgid(), os.getgroups())",
                "try:\n    os.setuid(9)\nexcept PermissionError as e:\n    print('setuid', e.errno)",
                "u = resource.getrusage(resource.RUSAGE_SELF); print(u.ru_maxrss > 0, os.times().elapsed > 0)");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code), Native.run(PYTHON, "-c", code));
        assertTrue(r.stdout().contains("(5, 6, 0) (1, 2, 3) [3, 7]\nsetuid 1\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] credentials, limits and priorities across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void identitySurvivesCheckpoint(String platform) {
        Run nat = Native.sample("identckpt", "10", "100").run();
        assertEquals(0, nat.exitCode, nat::describe);
        String joined = CheckpointRun.continues(platform, "400ms", nat, Jvisor.sample("identckpt"), "10", "100");
        assertTrue(joined.contains("write 1.5 MiB with RLIMIT_FSIZE 1 MiB: 1048576\n"), joined);
    }
}
