package dev.jvisor.cli.oci;

import java.nio.file.Path;

/** A loaded, validated OCI bundle: its directory, its config.json, and its root file system on the host. */
public record Bundle(Path dir, OciSpec spec, Path rootfs) {
    /** Loads and validates {@code dir}/config.json (see {@link SpecLoader}). */
    public static Bundle load(Path dir) {
        return SpecLoader.load(dir);
    }

    /** The mounts of config.json as the sandbox will build them. */
    public MountPlan mountPlan() {
        return MountPlan.of(this);
    }

    /** The hostname the sandbox reports: config.json's, or {@code fallback}. */
    public String hostname(String fallback) {
        String h = spec.hostname();
        return h == null || h.isEmpty() ? fallback : h;
    }
}
