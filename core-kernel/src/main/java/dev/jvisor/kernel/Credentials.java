package dev.jvisor.kernel;

/** User and group identity of a process (the sandbox's own; root by default, as in a container). */
public final class Credentials {
    public int uid, euid, suid, gid, egid, sgid;
}
