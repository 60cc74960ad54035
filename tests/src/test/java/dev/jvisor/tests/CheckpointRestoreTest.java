package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `jvisor do --checkpoint-after` then `jvisor restore`: the two halves of the output together equal a
 * native run; a damaged snapshot is refused with one clear line and the program does not run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointRestoreTest {
    private static final String[] COUNT = {"30", "40"};
    private Run nativeCount;
    /** A good snapshot of `count 30 40` (made once, on the first platform), copied by the corruption tests. */
    private Path goodSnapshot;

    @BeforeAll
    void setUp() {
        nativeCount = Native.sample("count", COUNT).run();
        assertEquals(0, nativeCount.exitCode, nativeCount::describe);
    }

    @AfterAll
    void tearDown() {
        if (goodSnapshot != null) {
            Jvisor.deleteTree(goodSnapshot.getParent());
        }
    }

    /** `do --checkpoint-after DELAY --image-path DIR [EXTRA...] -- SAMPLE ARGS`; asserts it stopped mid-run. */
    private static Run checkpoint(String platform, Path dir, String delay, List<String> extra, String sample, String... args) {
        List<String> c = new ArrayList<>(List.of("do", "--platform", platform, "--checkpoint-after", delay, "--image-path", dir.toString()));
        c.addAll(extra);
        c.add("--");
        c.add(Jvisor.sample(sample).toString());
        c.addAll(List.of(args));
        Run r = Jvisor.cmd(c).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, () -> "checkpoint run failed\n" + r.describe());
        assertTrue(Files.isRegularFile(dir.resolve("manifest.json")), () -> "no manifest.json in " + dir + "\n" + r.describe());
        return r;
    }

    private static Run restore(String platform, Path dir) {
        Run r = Jvisor.cmd("restore", "--platform", platform, "--image-path", dir.toString()).run();
        Expect.clean(r);
        return r;
    }

    /** before + after == native, and the checkpoint really fell in the middle of the run. */
    private void assertContinues(Run before, Run after, Run nat) {
        assertEquals(nat.exitCode, after.exitCode, () -> "restored run's exit code\n" + after.describe());
        assertFalse(before.stdout().isEmpty(), () -> "the checkpoint came before any output\n" + before.describe());
        assertFalse(after.stdout().isEmpty(), () -> "nothing left to do after restore: the checkpoint came too late\n" + after.describe());
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n=== checkpoint run ===\n" + before.describe()
                + "\n=== restore run ===\n" + after.describe());
    }

    private Path goodSnapshot() {
        if (goodSnapshot == null) {
            Path dir = Jvisor.scratch("good-snapshot").resolve("img");
            checkpoint(Platforms.first(), dir, "400ms", List.of(), "count", COUNT);
            goodSnapshot = dir;
        }
        return goodSnapshot;
    }

    @ParameterizedTest(name = "[{0}] count: checkpoint then restore")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void checkpointRestore(String platform) {
        Path dir = Jvisor.scratch("cr").resolve("img");
        Run before = checkpoint(platform, dir, "400ms", List.of(), "count", COUNT);
        Run after = restore(platform, dir);
        assertContinues(before, after, nativeCount);
        Jvisor.deleteTree(dir.getParent());
    }

    @ParameterizedTest(name = "[{0}] count: checkpoint with --compression none")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void checkpointRestoreUncompressed(String platform) throws IOException {
        Path dir = Jvisor.scratch("cr-none").resolve("img");
        Run before = checkpoint(platform, dir, "400ms", List.of("--compression", "none"), "count", COUNT);
        // count's 1 MiB buffer is incompressible-ish only in part; uncompressed pages hold at least it.
        assertTrue(Files.size(dir.resolve("pages.bin")) >= 1 << 20, "pages.bin looks compressed: " + Files.size(dir.resolve("pages.bin")));
        Run after = restore(platform, dir);
        assertContinues(before, after, nativeCount);
        Jvisor.deleteTree(dir.getParent());
    }

    @ParameterizedTest(name = "[{0}] count: one snapshot restored twice")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void restoreTwice(String platform) {
        Path dir = Jvisor.scratch("cr-twice").resolve("img");
        Run before = checkpoint(platform, dir, "400ms", List.of(), "count", COUNT);
        Run first = restore(platform, dir);
        Run second = restore(platform, dir);
        assertContinues(before, first, nativeCount);
        assertEquals(first.stdout(), second.stdout(), () -> "second restore differs\n" + second.describe());
        assertEquals(first.exitCode, second.exitCode, second::describe);
        Jvisor.deleteTree(dir.getParent());
    }

    /**
     * --leave-running: the sandbox runs on while the pages stream out, two threads and the kernel
     * rewriting memory all the while; the snapshot still holds one consistent moment (churn checks
     * every word it wrote), and the original run is undisturbed.
     */
    @ParameterizedTest(name = "[{0}] churn: live checkpoint while memory changes")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void liveCheckpointCapturesOneMoment(String platform) {
        String[] args = {"32", "600"};
        Run nat = Native.sample("churn", args).run();
        assertEquals(0, nat.exitCode, nat::describe);
        Path dir = Jvisor.scratch("cr-live").resolve("img");
        Run before = checkpoint(platform, dir, "1000ms", List.of("--leave-running"), "churn", args);
        assertEquals(nat.stdout(), before.stdout(), before::describe);
        Run after = restore(platform, dir);
        assertEquals(0, after.exitCode, after::describe);
        assertEquals(nat.stdout(), after.stdout(), after::describe);
        Jvisor.deleteTree(dir.getParent());
    }

    /** The monotonic clock continues across a restore (sleepcount exits 1 if it ever goes backwards). */
    @ParameterizedTest(name = "[{0}] sleepcount: checkpoint then restore")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sleepcountCheckpointRestore(String platform) {
        Run nat = Native.sample("sleepcount", "20", "40").run();
        assertEquals(0, nat.exitCode, nat::describe);
        Path dir = Jvisor.scratch("cr-sleep").resolve("img");
        Run before = checkpoint(platform, dir, "300ms", List.of(), "sleepcount", "20", "40");
        Run after = restore(platform, dir);
        assertContinues(before, after, nat);
        Jvisor.deleteTree(dir.getParent());
    }

    /**
     * A restored app that holds no file of the root file system runs before the gofer is up; its
     * first access to the root waits for it (lateexec execs a shell pipeline after the restore).
     */
    @ParameterizedTest(name = "[{0}] lateexec: root file system reached after restore")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void rootFileSystemReachedAfterRestore(String platform) {
        Run nat = Native.sample("lateexec").run();
        assertEquals(0, nat.exitCode, nat::describe);
        Path dir = Jvisor.scratch("cr-late").resolve("img");
        Run before = checkpoint(platform, dir, "300ms", List.of(), "lateexec");
        Run inspect = Jvisor.cmd("snapshot", "inspect", dir.toString()).run();
        assertFalse(inspect.stdout().contains("\nfile "), () -> "lateexec should hold no file\n" + inspect.describe());
        Run after = restore(platform, dir);
        assertContinues(before, after, nat);
        Jvisor.deleteTree(dir.getParent());
    }

    /**
     * A snapshot does not depend on the platform that made it: checkpoint on one, restore on another
     * (one dynamic test per ordered pair of enabled platforms; none when only one is enabled).
     */
    @TestFactory
    Stream<DynamicTest> restoreOnOtherPlatform() {
        List<DynamicTest> out = new ArrayList<>();
        for (String from : Platforms.enabled()) {
            for (String to : Platforms.enabled()) {
                if (!from.equals(to)) {
                    out.add(DynamicTest.dynamicTest("checkpoint on " + from + ", restore on " + to, () -> {
                        Path dir = Jvisor.scratch("cr-cross").resolve("img");
                        Run before = checkpoint(from, dir, "400ms", List.of(), "count", COUNT);
                        Run after = restore(to, dir);
                        assertContinues(before, after, nativeCount);
                        Jvisor.deleteTree(dir.getParent());
                    }));
                }
            }
        }
        return out.stream();
    }

    // ---- snapshots that must be refused -----------------------------------------------------------

    /** A copy of the good snapshot to damage. */
    private Path copyOfGood() throws IOException {
        Path src = goodSnapshot();
        Path dst = Jvisor.scratch("bad-snapshot").resolve("img");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5a;
        Files.write(file, b);
    }

    /** Restore exits non-zero with exactly one "jvisor:" line that matches {@code problem}; nothing ran. */
    private static void assertRefused(Path dir, String file, String problem) {
        Run r = restore(Platforms.first(), dir);
        assertTrue(r.exitCode != 0, () -> "a damaged snapshot was restored\n" + r.describe());
        assertEquals("", r.stdout(), () -> "the program ran from a damaged snapshot\n" + r.describe());
        List<String> lines = r.stderrLines();
        assertEquals(1, lines.size(), () -> "expected exactly one line on stderr\n" + r.describe());
        String line = lines.get(0);
        assertTrue(line.startsWith("jvisor: "), r::describe);
        if (file != null) {
            assertTrue(line.contains(file), () -> "the message does not name " + file + ": " + line);
        }
        assertTrue(Pattern.compile(problem, Pattern.CASE_INSENSITIVE).matcher(line).find(),
                () -> "the message does not say what is wrong (" + problem + "): " + line);
        Jvisor.deleteTree(dir.getParent());
    }

    private static final String CORRUPT = "corrupt|checksum|crc|invalid|not valid|damaged|mismatch";

    /** `snapshot inspect` shows the manifest; `snapshot verify` passes a good image and names the bad chunk. */
    @Test
    void snapshotToolsInspectAndVerify() throws IOException {
        Run inspect = Jvisor.cmd("snapshot", "inspect", goodSnapshot().toString()).run();
        assertEquals(0, inspect.exitCode, inspect::describe);
        assertTrue(inspect.stdout().contains("format          1"), inspect::describe);
        assertTrue(inspect.stdout().contains("part            pages.bin"), inspect::describe);
        assertTrue(inspect.stdout().contains("tasks           1"), inspect::describe);
        // The manifest lists the mount tree.
        assertTrue(inspect.stdout().contains("mount           /                  overlay"), inspect::describe);
        assertTrue(inspect.stdout().contains("mount           /proc              proc"), inspect::describe);
        Run ok = Jvisor.cmd("snapshot", "verify", goodSnapshot().toString()).run();
        assertEquals(0, ok.exitCode, ok::describe);
        Path dir = copyOfGood();
        Path f = dir.resolve("pages.bin");
        flipByte(f, Files.size(f) / 2);
        Run bad = Jvisor.cmd("snapshot", "verify", dir.toString()).run();
        assertTrue(bad.exitCode != 0, bad::describe);
        assertEquals(1, bad.stderrLines().size(), bad::describe);
        assertTrue(bad.stderrLines().get(0).startsWith("jvisor: ") && bad.stderrLines().get(0).contains("pages.bin"),
                bad::describe);
        Jvisor.deleteTree(dir.getParent());
    }

    @Test
    void flippedByteInPagesIsRefused() throws IOException {
        Path dir = copyOfGood();
        Path f = dir.resolve("pages.bin");
        flipByte(f, Files.size(f) / 2);
        assertRefused(dir, "pages.bin", CORRUPT);
    }

    @Test
    void flippedByteInKernelGraphIsRefused() throws IOException {
        Path dir = copyOfGood();
        Path f = dir.resolve("kernel.bin");
        flipByte(f, Files.size(f) / 2);
        assertRefused(dir, "kernel.bin", CORRUPT);
    }

    @Test
    void flippedByteInManifestIsRefused() throws IOException {
        Path dir = copyOfGood();
        Path f = dir.resolve("manifest.json");
        flipByte(f, Files.size(f) / 2);
        assertRefused(dir, "manifest.json", CORRUPT);
    }

    /** A change that keeps the manifest valid JSON (one digit of a value) is caught too. */
    @Test
    void editedManifestValueIsRefused() throws IOException {
        Path dir = copyOfGood();
        Path f = dir.resolve("manifest.json");
        String m = Files.readString(f, StandardCharsets.UTF_8);
        Matcher d = Pattern.compile("\"memoryBytes\"\\s*:\\s*(\\d)").matcher(m);
        assertTrue(d.find(), "manifest has no memoryBytes: " + m);
        char digit = m.charAt(d.start(1));
        String edited = m.substring(0, d.start(1)) + (char) (digit == '9' ? '8' : digit + 1) + m.substring(d.end(1));
        Files.writeString(f, edited, StandardCharsets.UTF_8);
        assertRefused(dir, "manifest.json", CORRUPT);
    }

    @Test
    void truncatedPagesAreRefused() throws IOException {
        Path dir = copyOfGood();
        Path f = dir.resolve("pages.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        assertRefused(dir, "pages.bin", "truncat|short|incomplete|size");
    }

    @Test
    void directoryThatIsNotASnapshotIsRefused() throws IOException {
        Path dir = Jvisor.scratch("not-a-snapshot").resolve("img");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertRefused(dir, dir.getFileName().toString(), "not a .*snapshot|no manifest");
    }

    @Test
    void missingDirectoryIsRefused() {
        Path dir = Jvisor.home().resolve("tests/target/e2e/no-such-snapshot/img");
        assertRefused(dir, "no-such-snapshot", "does not exist|not found|no such");
    }
}
