package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.fs.tmpfs.MemSymlink;

/** A symlink of the lower layer: its target is read once, when it is first looked up. */
public final class OverlaySymlink extends MemSymlink {
    OverlaySymlink(OverlayFs fs, LowerFs.LowerAttr a, String target) {
        super(fs, a.ino, target, a.uid, a.gid);
        setAttributes(a.mode, a.uid, a.gid, a.nlink, a.atimeNs, a.mtimeNs, a.ctimeNs, a.rdev);
    }
}
