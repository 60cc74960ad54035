package dev.jvisor.kernel.vfs;

/**
 * One mount as a snapshot manifest records it: where it is in the sandbox, its file system type, the
 * host path it serves (bind mounts; null for file systems that live in the sandbox) and whether it is
 * read-only.
 */
public record MountRecord(String destination, String type, String hostSource, boolean readOnly) {}
