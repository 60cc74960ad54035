package dev.jvisor.gofer;

/**
 * A file system's figures as Linux's struct statfs. {@code files} and {@code ffree} are 0 (as
 * btrfs reports) because the JDK cannot read inode counts.
 */
public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree, long namelen) {
    void encode(WireWriter w) {
        w.u64(type).u64(bsize).u64(blocks).u64(bfree).u64(bavail).u64(files).u64(ffree).u64(namelen);
    }

    static StatFs decode(WireReader r) throws ProtocolException {
        return new StatFs(r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64());
    }
}
