package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemSymlink;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A directory of the overlay: its upper entries in memory, merged with the entries of the lower
 * directory it covers, minus whiteouts. Lower entries become inodes only when looked up.
 */
public final class OverlayDir extends MemDir {
    /** The lower directory this one covers, or null once it is opaque (created in the upper layer). */
    private final String lowerPath;
    private final Set<String> whiteouts = new HashSet<>();
    /** The size the lower directory reports (file systems differ; ls shows it). */
    private final long lowerSize;
    private final long lowerBlocks;

    OverlayDir(OverlayFs fs, LowerFs.LowerAttr a, String lowerPath) {
        super(fs, a.ino, a.mode & 07777, a.uid, a.gid);
        setAttributes(a.mode, a.uid, a.gid, a.nlink, a.atimeNs, a.mtimeNs, a.ctimeNs, a.rdev);
        this.lowerPath = lowerPath;
        this.lowerSize = a.size;
        this.lowerBlocks = a.blocks;
    }

    @Override
    public long size(Task t) {
        return lowerSize;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return lowerBlocks >= 0 ? lowerBlocks * 512 : lowerSize;
    }

    private OverlayFs overlay() {
        return (OverlayFs) fs;
    }

    @Override
    public synchronized Inode lookup(Task t, String name) {
        Inode i = entries.get(name);
        if (i != null || lowerPath == null || whiteouts.contains(name)) {
            return i;
        }
        String path = OverlayFs.join(lowerPath, name);
        LowerFs.LowerAttr a = overlay().lower().stat(path);
        if (a == null) {
            return null;
        }
        i = switch (a.mode & FileMode.S_IFMT) {
            case FileMode.S_IFDIR -> new OverlayDir(overlay(), a, path);
            case FileMode.S_IFREG -> new OverlayFile(overlay(), a, path);
            case FileMode.S_IFLNK -> {
                MemSymlink s = new OverlaySymlink(overlay(), a, overlay().lower().readlink(path));
                yield s;
            }
            default -> new OverlaySpecial(overlay(), a);
        };
        entries.put(name, i);
        return i;
    }

    @Override
    public synchronized List<DirEntry> readdir(Task t) {
        List<DirEntry> out = super.readdir(t);
        if (lowerPath != null) {
            for (DirEntry e : overlay().lower().list(lowerPath)) {
                if (!entries.containsKey(e.name) && !whiteouts.contains(e.name)) {
                    out.add(e);
                }
            }
            out.sort((x, y) -> x.name.compareTo(y.name));
        }
        return out;
    }

    /** overlayfs renames take no RENAME_WHITEOUT (EINVAL): its whiteouts are its own business. */
    @Override
    public void renameWhiteout(Task t, String name, Inode newDir, String newName) {
        throw new SyscallException(Errno.EINVAL);
    }

    @Override
    public synchronized boolean isEmpty(Task t) {
        return readdir(t).isEmpty();
    }

    @Override
    protected synchronized void add(Task t, String name, Inode child) {
        super.add(t, name, child);
        whiteouts.remove(name);
    }

    @Override
    protected synchronized void removed(Task t, String name) {
        if (lowerPath != null && overlay().lower().stat(OverlayFs.join(lowerPath, name)) != null) {
            whiteouts.add(name);
        }
    }
}
