package dev.jvisor.state;

import java.util.Map;

/**
 * What the caller tells {@link SnapshotWriter#commit} to put in the {@link Manifest}; the writer
 * adds the format version, id, creation time and parts.
 *
 * @param parentId id of the snapshot this one is incremental to, or null
 */
public record SnapshotMetadata(String jvisorVersion, Map<String, String> cpuFeatures,
        Map<String, Object> summary, String parentId) {

    public SnapshotMetadata {
        cpuFeatures = cpuFeatures == null ? Map.of() : cpuFeatures;
        summary = summary == null ? Map.of() : summary;
    }
}
