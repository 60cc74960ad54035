package dev.jvisor.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of contents of a snapshot, stored as {@code manifest.json}: what wrote it, when, for
 * which CPU, and the size and CRC32C of every other file. It is written last, so its presence
 * means the snapshot is complete.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written by this code; readers refuse newer
 * @param id unique id of this snapshot
 * @param parentId id of the snapshot this one is incremental to, or null
 * @param jvisorVersion version of the jvisor that wrote it
 * @param createdAt ISO-8601 instant
 * @param cpuFeatures CPU features the application was shown (restore checks them against the host)
 * @param summary free-form facts for people and tools (tasks, memory bytes…)
 * @param mounts the sandbox's mount tree (null in snapshots written before it was recorded)
 * @param files the host files the app depended on (open or mapped, served by the gofer) with their
 *     identity at checkpoint time, which restore requires unchanged (null as for mounts)
 * @param parts every other file of the snapshot
 * @param manifestCrc32c CRC32C of this manifest's compact JSON with this field removed: it covers
 *     every value but not the layout, and its definition must never change across format
 *     versions, since it is checked before the version is trusted
 */
public record Manifest(int formatVersion, String id, String parentId, String jvisorVersion,
        String createdAt, Map<String, String> cpuFeatures, Map<String, Object> summary,
        List<MountEntry> mounts, List<HeldFile> files, List<Part> parts, Long manifestCrc32c) {

    /** The snapshot format this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** A file of the snapshot directory. */
    public record Part(String name, long size, long crc32c) {}

    /**
     * One mount: where it is in the sandbox, its file system type, where it comes from (a host
     * path for the root file system and bind mounts), and whether it is read-only.
     */
    public record MountEntry(String destination, String type, String source, boolean readOnly) {}

    /**
     * A host file the app held: its sandbox path, its host path when it is on a bind mount (null on
     * the root file system, where it is the sandbox path under the root's source), and its host
     * identity when checkpointed.
     */
    public record HeldFile(String path, String hostPath, long ino, long size, long mtimeNs) {}

    public Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    Manifest withChecksum(Long crc) {
        return new Manifest(formatVersion, id, parentId, jvisorVersion, createdAt, cpuFeatures,
                summary, mounts, files, parts, crc);
    }
}
