package dev.jvisor.state;

import java.util.List;
import java.util.Map;

/**
 * What the caller tells {@link SnapshotWriter#commit} to put in the {@link Manifest}; the writer
 * adds the format version, id, creation time and parts.
 *
 * @param parentId id of the snapshot this one is incremental to, or null
 * @param mounts see {@link Manifest#mounts()}
 * @param files see {@link Manifest#files()}
 */
public record SnapshotMetadata(String jvisorVersion, Map<String, String> cpuFeatures,
        Map<String, Object> summary, String parentId, List<Manifest.MountEntry> mounts,
        List<Manifest.HeldFile> files) {

    public SnapshotMetadata {
        cpuFeatures = cpuFeatures == null ? Map.of() : cpuFeatures;
        summary = summary == null ? Map.of() : summary;
        mounts = mounts == null ? List.of() : mounts;
        files = files == null ? List.of() : files;
    }

    /** Metadata without mounts or files. */
    public SnapshotMetadata(String jvisorVersion, Map<String, String> cpuFeatures,
            Map<String, Object> summary, String parentId) {
        this(jvisorVersion, cpuFeatures, summary, parentId, null, null);
    }
}
