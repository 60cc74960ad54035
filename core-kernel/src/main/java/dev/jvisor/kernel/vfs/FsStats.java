package dev.jvisor.kernel.vfs;

/**
 * What statfs(2) reports about a file system that has figures of its own (a bind mount reports its
 * host file system's block counts): struct statfs's fields but f_fsid, f_frsize and f_flags, which
 * the VFS fills in.
 */
public record FsStats(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
        long namelen) {}
