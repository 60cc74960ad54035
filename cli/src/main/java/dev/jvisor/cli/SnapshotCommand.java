package dev.jvisor.cli;

import dev.jvisor.state.Manifest;
import dev.jvisor.state.SnapshotException;
import dev.jvisor.state.SnapshotReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `jvisor snapshot inspect|verify DIR`: look inside a snapshot, or check every checksum in it. */
@Command(name = "snapshot", description = "Snapshot tools.", subcommands = {SnapshotCommand.Inspect.class,
        SnapshotCommand.Verify.class})
final class SnapshotCommand {
    /** Prints the manifest and a summary, like runsc statefile / CRIU crit. */
    @Command(name = "inspect", description = "Print a snapshot's manifest and summary.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (SnapshotReader r = SnapshotReader.open(dir)) {
                Manifest m = r.manifest();
                var out = spec.commandLine().getOut();
                out.printf("snapshot        %s%n", r.directory());
                out.printf("id              %s%n", m.id());
                out.printf("format          %d%n", m.formatVersion());
                out.printf("jvisor          %s%n", m.jvisorVersion());
                out.printf("created         %s%n", m.createdAt());
                out.printf("parent          %s%n", m.parentId() == null ? "-" : m.parentId());
                for (Map.Entry<String, Object> e : m.summary().entrySet()) {
                    out.printf("%-15s %s%n", e.getKey(), e.getValue());
                }
                var idx = r.pages().index();
                out.printf("pages           %d chunks, %s, %d bytes on disk%n", idx.chunks().size(), idx.compression(),
                        idx.fileSize());
                for (Manifest.Part p : m.parts()) {
                    out.printf("part            %-18s %12d bytes  crc32c %08x%n", p.name(), p.size(), p.crc32c());
                }
                out.printf("cpu             %s%n", m.cpuFeatures());
                for (Manifest.MountEntry e : m.mounts() == null ? List.<Manifest.MountEntry>of() : m.mounts()) {
                    out.printf("mount           %-18s %-10s %s%s%n", e.destination(), e.type(),
                            e.source() == null ? "-" : e.source(), e.readOnly() ? " (ro)" : "");
                }
                for (Manifest.HeldFile f : m.files() == null ? List.<Manifest.HeldFile>of() : m.files()) {
                    out.printf("file            %s%s  inode %d, %d bytes, mtime %s%n", f.path(),
                            f.hostPath() == null ? "" : " (host " + f.hostPath() + ")", f.ino(), f.size(),
                            java.time.Instant.ofEpochSecond(0, f.mtimeNs()));
                }
                return 0;
            } catch (Exception e) {
                spec.commandLine().getErr().println("jvisor: " + (e instanceof SnapshotException ? e.getMessage() : e));
                return Main.EXIT_SANDBOX_ERROR;
            }
        }
    }

    /** Reads every part again and checks every checksum, including each page chunk's. */
    @Command(name = "verify", description = "Check every checksum of a snapshot.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (SnapshotReader r = SnapshotReader.open(dir)) {
                r.verify();
                spec.commandLine().getOut().println("snapshot " + r.directory() + ": ok");
                return 0;
            } catch (Exception e) {
                spec.commandLine().getErr().println("jvisor: " + (e instanceof SnapshotException ? e.getMessage() : e));
                return Main.EXIT_SANDBOX_ERROR;
            }
        }
    }
}
