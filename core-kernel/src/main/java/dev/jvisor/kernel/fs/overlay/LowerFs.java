package dev.jvisor.kernel.fs.overlay;

import java.util.List;

/**
 * The read-only lower layer of the root overlay, by path relative to its root ("" is the root). It
 * is a host resource (in production the gofer client), never part of the kernel graph. Errors are
 * {@link dev.jvisor.kernel.SyscallException}s with Linux errnos (EIO when the gofer fails).
 */
public interface LowerFs {
    /** Attributes of the object at {@code path} without following a final symlink; null if absent. */
    LowerAttr stat(String path);

    /** The names in a directory with their inode numbers and DT_* types. */
    List<dev.jvisor.kernel.vfs.DirEntry> list(String path);

    String readlink(String path);

    /** Reads up to {@code len} bytes at {@code off}; returns the count, 0 at EOF. */
    int read(String path, long off, byte[] dst, int dstOff, int len);

    /** Attributes of a lower object. */
    final class LowerAttr {
        public final long ino;
        public final int mode;
        public final int uid;
        public final int gid;
        public final long size;
        public final long atimeNs;
        public final long mtimeNs;
        public final long ctimeNs;
        public final int nlink;
        public final long rdev;
        /** 512-byte blocks allocated (st_blocks), or -1 if unknown. */
        public final long blocks;

        public LowerAttr(long ino, int mode, int uid, int gid, long size, long atimeNs, long mtimeNs, long ctimeNs,
                int nlink, long rdev, long blocks) {
            this.ino = ino;
            this.mode = mode;
            this.uid = uid;
            this.gid = gid;
            this.size = size;
            this.atimeNs = atimeNs;
            this.mtimeNs = mtimeNs;
            this.ctimeNs = ctimeNs;
            this.nlink = nlink;
            this.rdev = rdev;
            this.blocks = blocks;
        }
    }
}
