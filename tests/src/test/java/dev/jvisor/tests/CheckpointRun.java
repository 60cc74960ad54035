package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A program checkpointed mid-run by `jvisor do --checkpoint-after` and finished by `jvisor restore`. */
final class CheckpointRun {
    private CheckpointRun() {}

    /**
     * Runs PROGRAM ARGS on {@code platform}, checkpointed after {@code delay}, restores it, and expects
     * the two halves of its output together to equal {@code nat}'s, with the same exit code. Returns
     * the joined output.
     */
    static String continues(String platform, String delay, Run nat, Path program, String... args) {
        Path img = Jvisor.scratch("ckpt").resolve("img");
        List<String> c = new ArrayList<>(List.of("do", "--platform", platform, "--checkpoint-after", delay,
                "--image-path", img.toString(), "--", program.toString()));
        c.addAll(List.of(args));
        Run before = Jvisor.cmd(c).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(nat.exitCode, after.exitCode, after::describe);
        assertFalse(after.stdout().isEmpty(), () -> "the checkpoint came too late\n" + before.describe());
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + before.describe() + "\n"
                + after.describe());
        Jvisor.deleteTree(img.getParent());
        return joined;
    }
}
