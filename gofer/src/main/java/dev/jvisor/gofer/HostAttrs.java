package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Reads a host file's {@link Attr} with lstat semantics (the "unix" attribute view, NOFOLLOW_LINKS). */
final class HostAttrs {
    /** The fields of "unix:*" we use: naming them spares the owner/group name look-ups of "*". */
    private static final String FIELDS = "unix:mode,nlink,uid,gid,size,ino,dev,rdev,lastAccessTime,lastModifiedTime,ctime";

    private HostAttrs() {}

    static Attr read(Path p, ExportRoot export) throws IOException {
        Map<String, Object> m = Files.readAttributes(p, FIELDS, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) m.get("mode");
        long size = (Long) m.get("size");
        return new Attr(
                mode,
                ((Integer) m.get("nlink")).longValue(),
                (Integer) m.get("uid"),
                (Integer) m.get("gid"),
                size,
                blocks(mode, size, export.blksize),
                export.blksize,
                (Long) m.get("ino"),
                (Long) m.get("dev"),
                (Long) m.get("rdev"),
                Timespec.of((FileTime) m.get("lastAccessTime")),
                Timespec.of((FileTime) m.get("lastModifiedTime")),
                Timespec.of((FileTime) m.get("ctime")));
    }

    /**
     * st_blocks is not available from the JDK: estimate what a non-sparse file of this size takes,
     * in 512-byte units, rounded up to whole file-system blocks (exact for directories, whose size
     * is their allocation). Symlinks and special files take none (fast symlinks are inline).
     */
    static long blocks(int mode, long size, int blksize) {
        int type = mode & Attr.S_IFMT;
        if ((type != Attr.S_IFREG && type != Attr.S_IFDIR) || size <= 0) {
            return 0;
        }
        long rounded = (size + blksize - 1) / blksize * blksize;
        return rounded / 512;
    }
}
