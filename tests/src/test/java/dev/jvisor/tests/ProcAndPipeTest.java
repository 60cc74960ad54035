package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * procfs and pipes as programs see them: the procself and pipes samples print the same as natively,
 * real programs (cat, ls, grep, readlink, python3) read /proc/self and use pipes and sendfile as they
 * do natively, and pipes, FIFOs and open /proc files keep their contents across a checkpoint.
 */
class ProcAndPipeTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");


    private static Run sandboxed(Path program, String... args) {
        Run r = Jvisor.run(Platforms.first(), program, args).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        return r;
    }

    // ---- samples ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] procself")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void procselfSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "procself", "a", "b c"), Native.sample("procself", "a", "b c"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("maps has [stack]: 1\n"), r::describe);
        assertTrue(r.stdout().contains("via /proc/self/fd/1\nvia /dev/stdout\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] pipes")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pipesSample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "pipes"), Native.sample("pipes"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("capacity: 65536 (EAGAIN)\n"), r::describe);
        assertTrue(r.stdout().contains("sendfile file->file: 16 ok\n"), r::describe);
    }

    // ---- real programs reading /proc ---------------------------------------------------------------------

    @Test
    void catProcSelfCmdline() {
        Path cat = Path.of("/bin/cat");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), cat, "/proc/self/cmdline"), Native.run(cat, "/proc/self/cmdline"));
        assertEquals("/bin/cat\0/proc/self/cmdline\0", r.stdout());
    }

    @Test
    void grepProcSelfStatusAndMaps() {
        Path grep = Path.of("/bin/grep");
        String[] status = {"-E", "^(Name|State|Threads|SigPnd|NoNewPrivs):", "/proc/self/status"};
        Run r = Expect.compare(Jvisor.run(Platforms.first(), grep, status), Native.run(grep, status));
        assertEquals("Name:\tgrep\nState:\tR (running)\nThreads:\t1\nSigPnd:\t0000000000000000\nNoNewPrivs:\t0\n", r.stdout());
        String[] maps = {"-c", "\\[stack\\]$", "/proc/self/maps"};
        Expect.compare(Jvisor.run(Platforms.first(), grep, maps), Native.run(grep, maps));
    }

    @Test
    void readlinkProcSelf() {
        Path readlink = Path.of("/usr/bin/readlink");
        String[] args = {"/proc/self/exe", "/proc/self/root", "/proc/self/fd/0"};
        Run r = Expect.compare(Jvisor.run(Platforms.first(), readlink, args), Native.run(readlink, args));
        assertEquals("/usr/bin/readlink\n/\n/dev/null\n", r.stdout());
    }

    @Test
    void lsProcSelfFd() {
        Path ls = Path.of("/bin/ls");
        Expect.compare(Jvisor.run(Platforms.first(), ls, "/proc/self/fd"), Native.run(ls, "/proc/self/fd"));
        Run r = sandboxed(ls, "-l", "/proc/self/fd/");
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("total "), r::describe);
        assertTrue(lines.get(1).matches("lr-x------ 1 \\S+ \\S+ 64 .* 0 -> /dev/null"), r::describe);
        assertTrue(lines.get(2).matches("l-wx------ 1 \\S+ \\S+ 64 .* 1 -> .+"), r::describe);
        assertTrue(lines.get(4).matches("lr-x------ 1 \\S+ \\S+ 64 .* 3 -> /proc/1/fd"), r::describe);
    }

    @Test
    void pythonListsItsFds() {
        String code = "import os; print(os.getcwd(), sorted(os.listdir('/proc/self/fd')), os.readlink('/proc/self/exe'),"
                + " len(open('/proc/self/stat').read().split()), open('/proc/self/comm').read().strip())";
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code), Native.run(PYTHON, "-c", code));
        assertTrue(r.stdout().contains("['0', '1', '2', '3'] "), r::describe);
        assertTrue(r.stdout().endsWith(" 52 python3\n"), r::describe);
    }

    @Test
    void catDevStdin() {
        Path cat = Path.of("/bin/cat");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), cat, "/dev/stdin").stdin("through /proc/self/fd/0\n"),
                Native.run(cat, "/dev/stdin").stdin("through /proc/self/fd/0\n"));
        assertEquals("through /proc/self/fd/0\n", r.stdout());
    }

    @Test
    void systemFiles() throws IOException {
        Path cat = Path.of("/bin/cat");
        Run r = sandboxed(cat, "/proc/mounts", "/proc/filesystems", "/proc/version", "/proc/sys/kernel/ostype",
                "/proc/sys/vm/overcommit_memory", "/proc/loadavg", "/proc/uptime", "/proc/stat", "/proc/meminfo");
        String out = r.stdout();
        assertTrue(out.contains("proc /proc proc rw,relatime 0 0\n"), r::describe);
        assertTrue(out.contains("nodev\tproc\n"), r::describe);
        assertTrue(out.contains("Linux version "), r::describe);
        assertTrue(out.contains("\nLinux\n0\n"), r::describe);
        assertTrue(out.matches("(?s).*\n[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+/[0-9]+ [0-9]+\n.*"), r::describe);
        assertTrue(out.contains("\ncpu  "), r::describe);
        assertTrue(out.contains("\nMemTotal: "), r::describe);
        // cpuinfo: one entry per CPU the sandbox offers, flags the host CPU really has
        Run c = sandboxed(cat, "/proc/cpuinfo");
        Set<String> host = flags(Files.readString(Path.of("/proc/cpuinfo")));
        Set<String> ours = flags(c.stdout());
        assertFalse(ours.isEmpty(), c::describe);
        Set<String> extra = new HashSet<>(ours);
        extra.removeAll(host);
        assertTrue(extra.isEmpty(), () -> "flags the host does not show: " + extra + "\n" + c.describe());
        assertTrue(c.stdout().contains("processor\t: 0\n"), c::describe);
    }

    private static Set<String> flags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split(" +")));
            }
        }
        return Set.of();
    }

    // ---- pipes and sendfile in real programs --------------------------------------------------------------

    @Test
    void pythonPipeAndCopyfile() {
        String code = String.join("\n",
                "import os, shutil, stat, sys",
                "r, w = os.pipe()",
                "os.write(w, b'through a pipe')",
                "print(os.read(r, 100), stat.S_ISFIFO(os.fstat(r).st_mode), os.get_blocking(r))",
                "os.set_blocking(r, False)",
                "try:\n    os.read(r, 1)\nexcept BlockingIOError:\n    print('EAGAIN')",
                "os.close(w)",
                "print(os.read(r, 1))",
                "d = sys.argv[1]",
                "os.makedirs(d, exist_ok=True)",
                "data = bytes(range(256)) * 1000",
                "open(d + '/a', 'wb').write(data)",
                "shutil.copyfile(d + '/a', d + '/b')",  // sendfile(2) on Linux
                "print(open(d + '/b', 'rb').read() == data, os.path.getsize(d + '/b'))");
        Path nativeDir = Jvisor.scratch("pycopy").resolve("d");
        Run r = Expect.compare(Jvisor.run(Platforms.first(), PYTHON, "-c", code, "/tmp/pycopy"),
                Native.run(PYTHON, "-c", code, nativeDir.toString()));
        assertEquals("b'through a pipe' True True\nEAGAIN\nb''\nTrue 256000\n", r.stdout());
    }

    // ---- checkpoint -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] pipes, a FIFO and an open /proc file across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pipesSurviveCheckpoint(String platform) {
        Path nativeFifo = Jvisor.scratch("pipeckpt-native").resolve("fifo");
        Run nat = Native.sample("pipeckpt", "30", "40", nativeFifo.toString()).run();
        assertEquals(0, nat.exitCode, nat::describe);
        String joined = CheckpointRun.continues(platform, "400ms", nat, Jvisor.sample("pipeckpt"), "30", "40", "/tmp/fifo");
        assertTrue(joined.contains("big pipe: 50000 bytes, intact 1\n"), joined);
    }

    /** A task blocked reading an empty pipe is brought to a clean boundary: the checkpoint completes. */
    @Test
    void checkpointWhileBlockedOnAPipe() {
        Path img = Jvisor.scratch("pipeblock").resolve("img");
        // Late enough for python to have started and printed on a busy machine; it then blocks for good.
        Run r = Jvisor.cmd("do", "--platform", Platforms.first(), "--checkpoint-after", "3s", "--image-path",
                img.toString(), "--", PYTHON.toString(), "-c",
                "import os; r, w = os.pipe(); print('blocking', flush=True); os.read(r, 1)").run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertEquals("blocking\n", r.stdout(), r::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), r::describe);
        Jvisor.deleteTree(img.getParent());
    }
}
