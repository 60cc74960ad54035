package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** A device node, FIFO or socket file of the lower layer: visible to stat, never opened on the host. */
public final class OverlaySpecial extends Inode {
    OverlaySpecial(OverlayFs fs, LowerFs.LowerAttr a) {
        super(fs, a.ino, a.mode, a.uid, a.gid);
        setAttributes(a.mode, a.uid, a.gid, a.nlink, a.atimeNs, a.mtimeNs, a.ctimeNs, a.rdev);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        throw new SyscallException(Errno.ENXIO);
    }
}
