package dev.jvisor.cli.oci;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The subset of the OCI runtime spec (config.json) that jvisor reads. Records so Jackson binds them
 * directly; fields jvisor does not know are ignored by the mapper ({@link SpecLoader}), and absent
 * fields are null (or 0/false for primitives).
 */
public record OciSpec(String ociVersion, Process process, Root root, List<Mount> mounts, String hostname,
        Map<String, String> annotations) {

    /** {@code process}: what runs as the container's init. */
    public record Process(boolean terminal, User user, List<String> args, List<String> env, String cwd,
            List<Rlimit> rlimits, CapabilitySets capabilities, boolean noNewPrivileges) {}

    /** {@code process.capabilities}: capability names ("CAP_KILL") per set; an absent set is empty. */
    public record CapabilitySets(List<String> bounding, List<String> effective, List<String> inheritable,
            List<String> permitted, List<String> ambient) {}

    /** {@code process.user}. */
    public record User(int uid, int gid, List<Integer> additionalGids) {}

    /** {@code root}: the root file system, {@code path} relative to the bundle unless absolute. */
    public record Root(String path, boolean readonly) {}

    /** One entry of {@code mounts}. */
    public record Mount(String destination, String type, String source, List<String> options) {}

    /**
     * One entry of {@code process.rlimits}. The limits are uint64 in the spec (2^64-1 is common for
     * "unlimited"), so they are read as BigInteger and narrowed by {@link Rlimits}.
     */
    public record Rlimit(String type, BigInteger hard, BigInteger soft) {}
}
