package dev.jvisor.cli;

import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.kernel.checkpoint.Capture;
import dev.jvisor.kernel.checkpoint.Snapshots;
import dev.jvisor.state.PageOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * One checkpoint of a running sandbox, as every command takes it: the sandbox pauses only while
 * its kernel graph is written; with {@code leaveRunning} it then runs on while the pages stream
 * to the image, otherwise it stays frozen until the image is complete and then exits.
 */
final class Checkpointing {
    private Checkpointing() {}

    /** {@code hostFacts}: where the sandbox came from (root file system, bundle), for the manifest. */
    static Snapshots.Saved run(KernelRuntime rt, Path dir, PageOptions pages, boolean leaveRunning,
            Map<String, Object> hostFacts) throws Exception {
        long start = System.nanoTime();
        Snapshots.Saved[] saved = new Snapshots.Saved[1];
        long pause = rt.checkpoint(k -> {
            Capture c = Snapshots.capture(k, dir, pages, Version.get(), leaveRunning, hostFacts);
            return () -> {
                try (c) {
                    saved[0] = c.finish();
                }
            };
        }, !leaveRunning);
        Stats.checkpoint(saved[0], pause, System.nanoTime() - start, dir);
        return saved[0];
    }
}
