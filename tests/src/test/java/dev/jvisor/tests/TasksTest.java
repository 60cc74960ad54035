package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Processes, threads and signals as programs see them: the forktree, threads and signals samples, shell
 * pipelines and scripts, make, and python3's threading and subprocess give their native output and exit
 * codes; a family of processes and threads with tokens in flight in pipes survives checkpoint + restore.
 */
class TasksTest {

    @ParameterizedTest(name = "[{0}] forktree")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void forktree(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "forktree"), Native.sample("forktree"));
        assertTrue(r.stdout().contains("tree of depth 4 has 31 processes\n"), r::describe);
        assertTrue(r.stdout().contains("stopper: continued\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] threads")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void threads(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "threads"), Native.sample("threads"));
        assertTrue(r.stdout().contains("counter 160000 (want 160000)\n"), r::describe);
        assertTrue(r.stdout().contains("handler ran in the target thread: 1\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] signals")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void signals(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "signals"), Native.sample("signals"));
        assertEquals(128 + 15, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("read restarted with SA_RESTART: 1 'x'\n"), r::describe);
    }

    /** A fork bomb of an unprivileged user stops at RLIMIT_NPROC with EAGAIN, as natively. */
    @ParameterizedTest(name = "[{0}] a fork bomb is held by RLIMIT_NPROC")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void forkBomb(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "forkbomb"), Native.sample("forkbomb"));
        assertTrue(r.stdout().contains("forked 19 before Resource temporarily unavailable\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] signalfd")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void signalfd(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "signalfd"), Native.sample("signalfd"));
        assertTrue(r.stdout().contains("child: signo 17 code 1 int 0 pid ok 1 status 3\n"), r::describe);
    }

    private static final String SCRIPT = String.join("\n",
            "set -e",
            "echo start $# \"$@\"",
            "printf '%s\\n' c b a | sort | tr a-z A-Z | head -2",
            "x=$(echo inner | sed s/inner/outer/); echo \"$x\"",
            "( cd /; pwd; exit 3 ) || echo \"subshell said $?\"",
            "for i in 1 2 3; do echo \"loop $i\" & wait; done",
            "sh -c 'exit 7' || echo \"child said $?\"",
            "sleep 0.1 & pid=$!; wait $pid; echo \"waited $?\"",
            "kill -TERM $$ 2>/dev/null || true",
            "");

    @ParameterizedTest(name = "[{0}] sh script with pipes, subshells, jobs and signals")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void shellScript(String platform) throws IOException {
        Path dir = Jvisor.scratch("sh");
        Path script = dir.resolve("script.sh");
        Files.writeString(script, SCRIPT);
        Run r = Expect.compare(Jvisor.run(platform, Path.of("/bin/sh"), script.toString(), "a", "b c"),
                Native.run(Path.of("/bin/sh"), script.toString(), "a", "b c"));
        assertTrue(r.stdout().contains("subshell said 3\n"), r::describe);
        assertEquals(128 + 15, r.exitCode, r::describe);
        Jvisor.deleteTree(dir);
    }

    /** "#!" scripts run through their interpreter, with its optional argument, directly and from execve. */
    @ParameterizedTest(name = "[{0}] #! scripts")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void scripts(String platform) throws IOException {
        Path dir = Jvisor.scratch("scripts");
        Path inner = dir.resolve("inner.sh");
        Files.writeString(inner, "#!/bin/sh -e\necho \"inner $# $*\"\ncat /proc/self/comm\n");
        Path outer = dir.resolve("outer.sh");
        Files.writeString(outer, "#!/bin/sh\n" + inner + " one 'two three'\necho \"outer $1\"\n");
        for (Path p : List.of(inner, outer)) {
            p.toFile().setExecutable(true);
        }
        Run r = Expect.compare(Jvisor.run(platform, outer, "x"), Native.run(outer, "x"));
        assertEquals("inner 2 one two three\ncat\nouter x\n", r.stdout(), r::describe);
        Jvisor.deleteTree(dir);
    }

    @ParameterizedTest(name = "[{0}] make runs a tree of recipes")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void make(String platform) throws IOException {
        Path dir = Jvisor.scratch("make");
        Files.writeString(dir.resolve("Makefile"), String.join("\n",
                "all: c.txt",
                "\t@cat c.txt",
                "a.txt:",
                "\t@echo alpha > a.txt",
                "b.txt: a.txt",
                "\t@sed s/alpha/beta/ a.txt > b.txt",
                "c.txt: a.txt b.txt",
                "\t@cat a.txt b.txt | sort -r > c.txt; echo built c.txt",
                "fail:",
                "\t@false",
                ""));
        Run.Spec sb = Jvisor.run(platform, Path.of("/usr/bin/make"), "-s", "-C", dir.toString(), "all");
        Run r = sb.run();
        Expect.clean(r);
        assertEquals("built c.txt\nbeta\nalpha\n", r.stdout(), r::describe);
        assertEquals(0, r.exitCode, r::describe);
        Run f = Jvisor.run(platform, Path.of("/usr/bin/make"), "-s", "-C", dir.toString(), "fail").run();
        Run fn = Native.run(Path.of("/usr/bin/make"), "-s", "-C", dir.toString(), "fail").run();
        assertEquals(fn.exitCode, f.exitCode, f::describe);
        Jvisor.deleteTree(dir);
    }

    @ParameterizedTest(name = "[{0}] python3 threading, subprocess and signal handlers")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void python(String platform) {
        String code = String.join("\n",
                "import os, signal, subprocess, sys, threading",
                "subprocess.run(['echo', 'from a child'])",
                "print('child exit code', subprocess.call(['sh', '-c', 'exit 5']), flush=True)",
                "out = []",
                "lock = threading.Lock()",
                "def work(i):",
                "    with lock:",
                "        out.append(i * i)",
                "ts = [threading.Thread(target=work, args=(i,)) for i in range(16)]",
                "[t.start() for t in ts]; [t.join() for t in ts]",
                "print(sorted(out))",
                "signal.signal(signal.SIGUSR1, lambda s, f: print('handled', s))",
                "os.kill(os.getpid(), signal.SIGUSR1)",
                "pid = os.fork()",
                "if pid == 0:",
                "    os._exit(9)",
                "print('forked child status', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))",
                "");
        Path py = Path.of("/usr/bin/python3");
        Run r = Expect.compare(Jvisor.run(platform, py, "-c", code), Native.run(py, "-c", code));
        assertTrue(r.stdout().contains("handled 10\n"), r::describe);
    }

    /** Ctrl-C (SIGINT to jvisor) reaches the sandbox's foreground job as the tty driver would send it. */
    @ParameterizedTest(name = "[{0}] SIGINT to jvisor reaches the foreground process group")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void interruptReachesForegroundJob(String platform) throws Exception {
        for (String[] c : new String[][] {
                {"trap 'echo caught INT' INT; echo ready; sleep 5; echo after", "caught INT\nafter\n", "0"},
                {"echo ready; sleep 5; echo not reached", "", "130"}}) {
            java.io.File err = java.io.File.createTempFile("jvisor-int", ".err");
            err.deleteOnExit();
            Process p = new ProcessBuilder(Jvisor.launcher().toString(), "do", "--platform", platform, "--", "/bin/sh",
                    "-c", c[0]).redirectError(err).start();
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine(), c[0]);
            Thread.sleep(300); // the shell is in sleep by now
            Runtime.getRuntime().exec(new String[] {"kill", "-INT", Long.toString(p.pid())}).waitFor();
            StringBuilder rest = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            p.waitFor();
            assertEquals(c[1], rest.toString(), c[0]);
            assertEquals(Integer.parseInt(c[2]), p.exitValue(), () -> c[0] + "\nstderr: " + readQuietly(err));
        }
    }

    /**
     * A terminal's Ctrl-C goes to the whole foreground process group, jvisor's helpers included: the
     * app that handles it keeps running and keeps its root file system (the gofer lives on).
     */
    @Test
    void interruptToTheWholeProcessGroupLeavesTheFileSystem() throws Exception {
        String script = "trap 'echo caught INT' INT; echo ready; sleep 5; cat /etc/hostname >/dev/null && echo files ok";
        java.io.File err = java.io.File.createTempFile("jvisor-pgrp", ".err");
        err.deleteOnExit();
        // setsid(1): a process group of its own, as a terminal's foreground job has.
        Process p = new ProcessBuilder("/usr/bin/setsid", Jvisor.launcher().toString(), "do", "--", "/bin/sh", "-c", script)
                .redirectError(err).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
        Thread.sleep(300);
        Runtime.getRuntime().exec(new String[] {"kill", "-INT", "--", "-" + p.pid()}).waitFor();
        StringBuilder rest = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            rest.append(line).append('\n');
        }
        p.waitFor();
        assertEquals("caught INT\nfiles ok\n", rest.toString(), () -> "stderr: " + readQuietly(err));
        assertEquals(0, p.exitValue(), () -> "stderr: " + readQuietly(err));
    }

    @ParameterizedTest(name = "[{0}] a process family with tokens in flight: checkpoint then restore")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void familyCheckpointRestore(String platform) {
        Run nat = Native.sample("familyckpt", "30", "50").run();
        // On a loaded machine the checkpoint may fall before the first round; it must not fall after the last.
        CheckpointRun.continues(platform, "900ms", nat, Jvisor.sample("familyckpt"), "30", "50");
    }

    private static String readQuietly(java.io.File f) {
        try {
            return java.nio.file.Files.readString(f.toPath());
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
