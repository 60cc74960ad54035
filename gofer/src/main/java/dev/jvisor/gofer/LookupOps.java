package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** Requests that name files or read their metadata: ATTACH, WALK, CLONE, STAT, READLINK, STATFS, CLUNK. */
final class LookupOps {
    private final Session s;

    LookupOps(Session s) {
        this.s = s;
    }

    Attached attach(String mount) throws IOException {
        ExportRoot e = s.exports.get(mount);
        if (e == null) {
            throw new GoferException(Errno.ENOENT, "no export named '" + mount + "'");
        }
        Attr a = HostAttrs.read(e.root, e);
        Fid f = s.fids.add(e, List.of());
        return new Attached(f.id, e.readOnly, a);
    }

    /** One component, never following a symlink: a symlink is returned as a symlink fid. */
    FidAttr walk(int fid, String name) throws IOException {
        Fid dir = s.fids.get(fid);
        Path p = HostPaths.childOf(dir, name);
        Attr a = HostAttrs.read(p, dir.export);
        Fid f = s.fids.add(dir.export, dir.child(name));
        return new FidAttr(f.id, a);
    }

    /** A second, unopened fid for the same file, so the Sentry can open it once per open file description. */
    FidAttr cloneFid(int fid) throws IOException {
        Fid f = s.fids.get(fid);
        Attr a = HostAttrs.read(HostPaths.resolve(f), f.export);
        Fid c = s.fids.add(f.export, f.path);
        return new FidAttr(c.id, a);
    }

    Attr stat(int fid) throws IOException {
        Fid f = s.fids.get(fid);
        if (f.detached) {
            return detachedAttr(f);
        }
        return HostAttrs.read(HostPaths.resolve(f), f.export);
    }

    String readlink(int fid) throws IOException {
        Fid f = s.fids.get(fid);
        Path p = HostPaths.resolve(f);
        BasicFileAttributes a = HostPaths.lstat(p);
        if (!a.isSymbolicLink()) {
            throw new GoferException(Errno.EINVAL, "not a symlink");
        }
        // The link's own text: nothing it points to is looked at.
        return Files.readSymbolicLink(p).toString();
    }

    /**
     * Figures of the file system holding the fid's file. The JDK's FileStore look-up follows
     * symlinks, which would tell whether a symlink's host target exists, so for anything but a
     * directory the (validated) parent directory is asked instead.
     */
    StatFs statfs(int fid) throws IOException {
        Fid f = s.fids.get(fid);
        if (f.detached || f.path.isEmpty()) {
            return HostStatFs.read(f.export.root);
        }
        Path p = HostPaths.resolve(f);
        return HostStatFs.read(HostPaths.lstat(p).isDirectory() ? p : p.getParent());
    }

    void clunk(int fid) throws IOException {
        s.fids.remove(fid);
    }

    /**
     * An unlinked file has no path to lstat: report what it was, with the size the open channel
     * still sees (the common case: a temporary file unlinked while open).
     */
    private static Attr detachedAttr(Fid f) throws IOException {
        Attr a = f.lastAttr;
        if (a == null) {
            throw new GoferException(Errno.ENOENT, "fid " + f.id + " names a removed file");
        }
        if (f.open != null && f.open.channel != null) {
            long size = f.open.channel.size();
            a = new Attr(a.mode(), a.nlink(), a.uid(), a.gid(), size, HostAttrs.blocks(a.mode(), size, a.blksize()),
                    a.blksize(), a.ino(), a.dev(), a.rdev(), a.atime(), a.mtime(), a.ctime());
        }
        return a;
    }
}
