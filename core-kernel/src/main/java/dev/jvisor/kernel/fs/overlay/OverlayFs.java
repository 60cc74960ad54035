package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.platform.MemoryFile;

/**
 * The sandbox's root file system (runsc's default overlay): a read-only lower layer served by the
 * gofer, under an upper layer in memory. Reads come from the lower layer until a file is written;
 * then it is copied up into the memory file. Deletes leave whiteouts. The host never changes.
 */
public final class OverlayFs extends MemFs {
    private transient LowerFs lower;

    public OverlayFs(long dev, MemoryFile memory, LowerFs lower) {
        super(dev, memory, "overlay", 0755);
        this.lower = lower;
        LowerFs.LowerAttr root = lower.stat("");
        if (root == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        setRoot(new OverlayDir(this, root, ""));
    }

    @Override
    public long magic() {
        return 0x794c7630L; // OVERLAYFS_SUPER_MAGIC
    }

    /** The lower layer; after a restore the runtime attaches a new gofer connection here. */
    public LowerFs lower() {
        if (lower == null) {
            throw new SyscallException(Errno.EIO);
        }
        return lower;
    }

    public void attachLower(LowerFs l) {
        this.lower = l;
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
