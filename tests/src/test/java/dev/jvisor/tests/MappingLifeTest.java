package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The life of file mappings (the mapfree and truncmap samples): tmpfs, memfd and MAP_SHARED|MAP_ANONYMOUS
 * contents go back to the sandbox once the file has no name, no fd and no mapping left, through munmap,
 * VMA splits, mremap, MAP_PRIVATE, ftruncate, fork and exit, and the mapping counts survive a checkpoint. The
 * sandbox's own MemFree (exact there) must not grow over thousands of 1 MiB files; natively the
 * output is the same, and the noisy host figure is ignored.
 */
class MappingLifeTest {
    /** Memory growth allowed over a whole run: far less than one leaked round of any loop (1 MiB x rounds). */
    private static final long SLACK_KB = 2048;

    /** The "mapfree: growth-kb PHASE KB" lines of a sandboxed run, in order. */
    private static Map<String, Long> growth(Run r) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String l : r.stderrLines()) {
            String[] w = l.trim().split(" ");
            if (w.length == 4 && w[0].equals("mapfree:") && w[1].equals("growth-kb")) {
                out.put(w[2], Long.parseLong(w[3]));
            }
        }
        return out;
    }

    private static void flat(Run r, List<String> phases) {
        Map<String, Long> g = growth(r);
        assertEquals(phases, List.copyOf(g.keySet()), r::describe);
        g.forEach((phase, kb) -> assertTrue(kb < SLACK_KB, () -> "memory grew by " + kb + " kB in " + phase + "\n"
                + r.describe()));
    }

    @ParameterizedTest(name = "[{0}] mapfree loops: memory stays flat")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void loopsKeepMemoryFlat(String platform) {
        // ptrace makes every fault a slow round trip: fewer rounds, each still leaking 1 MiB if broken.
        String rounds = platform.equals("ptrace") ? "30" : "120";
        Run r = Expect.compare(Jvisor.sample(platform, "mapfree", "loops", rounds), Native.sample("mapfree", "loops", rounds));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("memfd: " + rounds + " rounds, 0 bad\n"), r::describe);
        assertTrue(r.stdout().contains("fork child after the parent's munmap: "), r::describe);
        for (String line : r.stdout().split("\n")) {
            assertTrue(!line.endsWith(" bad") || line.endsWith(", 0 bad"), r::describe);
        }
        flat(r, List.of("memfd", "shm_open", "shared-anon", "private", "truncate", "mremap", "fork"));
    }

    /**
     * A file shrinking under shared mappings (truncmap): SIGBUS past the new end, in the process and in a
     * fork child, EFAULT for a syscall that reads there, zeros when it grows back; as natively.
     */
    @ParameterizedTest(name = "[{0}] truncmap: SIGBUS past the end of a shrunk mapped file")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void shrinkingAMappedFileGivesSigbus(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "truncmap"), Native.sample("truncmap"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("signal SIGBUS code 2\n  read page 2: faulted"), r::describe);
    }

    /**
     * Files known only by their mappings (in a parent and a fork child) across a checkpoint: after the
     * restore, the parent's munmap leaves them to the child, and the child's exit frees them, so the
     * mapping counts came back exactly.
     */
    @ParameterizedTest(name = "[{0}] mapfree ckpt: mapping counts survive a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void countsSurviveCheckpoint(String platform) throws Exception {
        Run nat = Native.sample("mapfree", "ckpt", "20", "50").run();
        Path img = Jvisor.scratch("mapfree").resolve("img");
        Run before = Jvisor.cmd("do", "--platform", platform, "--checkpoint-after", "500ms", "--image-path",
                img.toString(), "--", Jvisor.sample("mapfree").toString(), "ckpt", "20", "50").run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        assertTrue(joined.endsWith("parent sees its mappings: 1\nchild sees them after the parent's munmap: 1\n"
                + "child exited: 0\n"), joined);
        flat(after, List.of("ckpt"));
        Jvisor.deleteTree(img.getParent());
    }
}
