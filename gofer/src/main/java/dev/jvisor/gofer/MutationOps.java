package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Requests that change the tree: CREATE, MKDIR, MKNOD, UNLINK, RENAME, LINK, SYMLINK. Each checks
 * the export is writable before touching the host, and keeps the fid table in step with what it did.
 */
final class MutationOps {
    private final Session s;

    MutationOps(Session s) {
        this.s = s;
    }

    /**
     * Always exclusive (an existing name is EEXIST, a symlink is never followed): the Sentry opens
     * existing files by WALK and OPEN. The new fid is open with {@code flags}.
     */
    FidAttr create(int dirFid, String name, int flags, int mode) throws IOException {
        Fid dir = s.fids.get(dirFid);
        dir.export.checkWritable();
        if ((flags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE) {
            throw new GoferException(Errno.EINVAL, "bad access mode");
        }
        Path p = HostPaths.childOf(dir, name);
        Files.createFile(p);
        FileChannel ch;
        try {
            // Open before chmod: a mode without write permission must not fail the creator's open.
            ch = IoOps.openChannel(p, flags & ~OpenFlags.O_TRUNC);
            setMode(p, mode);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        Fid f;
        try {
            f = s.fids.add(dir.export, dir.child(name));
        } catch (GoferException e) {
            ch.close();
            Files.deleteIfExists(p);
            throw e;
        }
        f.open = OpenFile.file(flags, ch);
        return new FidAttr(f.id, HostAttrs.read(p, dir.export));
    }

    Attr mkdir(int dirFid, String name, int mode) throws IOException {
        Fid dir = s.fids.get(dirFid);
        dir.export.checkWritable();
        Path p = HostPaths.childOf(dir, name);
        Files.createDirectory(p);
        setMode(p, mode);
        return HostAttrs.read(p, dir.export);
    }

    /** Only regular files (as mknod(2) with S_IFREG or no type); other node types are EPERM. */
    Attr mknod(int dirFid, String name, int mode, long rdev) throws IOException {
        Fid dir = s.fids.get(dirFid);
        dir.export.checkWritable();
        int type = mode & Attr.S_IFMT;
        if (type != 0 && type != Attr.S_IFREG) {
            HostPaths.checkName(name);
            throw new GoferException(Errno.EPERM, "the gofer creates no fifos, sockets or device nodes");
        }
        Path p = HostPaths.childOf(dir, name);
        Files.createFile(p);
        setMode(p, mode);
        return HostAttrs.read(p, dir.export);
    }

    void unlink(int dirFid, String name, boolean isDir) throws IOException {
        Fid dir = s.fids.get(dirFid);
        dir.export.checkWritable();
        Path p = HostPaths.childOf(dir, name);
        Attr a = HostAttrs.read(p, dir.export);
        if (isDir && !a.isDirectory()) {
            throw new GoferException(Errno.ENOTDIR, "not a directory");
        }
        if (!isDir && a.isDirectory()) {
            throw new GoferException(Errno.EISDIR, "is a directory");
        }
        // Files.delete lstats and then calls rmdir or unlink accordingly; never follows the name.
        Files.delete(p);
        s.fids.detach(dir.export, dir.child(name), unlinked(a));
    }

    void rename(int oldDirFid, String oldName, int newDirFid, String newName) throws IOException {
        Fid from = s.fids.get(oldDirFid);
        Fid to = s.fids.get(newDirFid);
        if (from.export != to.export) {
            throw new GoferException(Errno.EXDEV, "rename across exports");
        }
        from.export.checkWritable();
        Path src = HostPaths.childOf(from, oldName);
        Path dst = HostPaths.childOf(to, newName);
        Attr srcAttr = HostAttrs.read(src, from.export);
        Attr dstAttr = attrOrNull(dst, to.export);
        // ATOMIC_MOVE is rename(2) itself: it replaces the target as POSIX says and never copies.
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
        if (dstAttr != null && sameFile(srcAttr, dstAttr)) {
            return; // hard links to one file: rename(2) did nothing
        }
        List<String> srcPath = from.child(oldName);
        List<String> dstPath = to.child(newName);
        if (dstAttr != null) {
            s.fids.detach(to.export, dstPath, unlinked(dstAttr));
        }
        s.fids.moved(from.export, srcPath, dstPath);
    }

    Attr link(int targetFid, int dirFid, String name) throws IOException {
        Fid target = s.fids.get(targetFid);
        Fid dir = s.fids.get(dirFid);
        if (target.export != dir.export) {
            // Even on one host file system: a link would let a read-only export's file be written.
            throw new GoferException(Errno.EXDEV, "link across exports");
        }
        dir.export.checkWritable();
        Path existing = HostPaths.resolve(target);
        if (HostPaths.lstat(existing).isDirectory()) {
            throw new GoferException(Errno.EPERM, "hard link to a directory");
        }
        Path p = HostPaths.childOf(dir, name);
        // link(2) without AT_SYMLINK_FOLLOW: a symlink target is linked itself, not followed.
        Files.createLink(p, existing);
        return HostAttrs.read(p, dir.export);
    }

    /**
     * The target is stored as given and never interpreted here. The JDK normalises it as a path
     * (repeated and trailing '/' are dropped), which is the one way the stored text can differ.
     */
    Attr symlink(int dirFid, String name, String target) throws IOException {
        Fid dir = s.fids.get(dirFid);
        dir.export.checkWritable();
        if (target.indexOf('\0') >= 0) {
            throw new GoferException(Errno.EINVAL, "symlink target contains NUL");
        }
        if (target.isEmpty()) {
            throw new GoferException(Errno.ENOENT, "empty symlink target");
        }
        if (target.getBytes(StandardCharsets.UTF_8).length > Protocol.MAX_SYMLINK) {
            throw new GoferException(Errno.ENAMETOOLONG, "symlink target too long");
        }
        Path p = HostPaths.childOf(dir, name);
        Files.createSymbolicLink(p, p.getFileSystem().getPath(target));
        return HostAttrs.read(p, dir.export);
    }

    /**
     * Sets the exact mode (the JDK's create applies the umask and knows only 9 bits). Called only
     * on a file this request just created, so following the name is safe.
     */
    private static void setMode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode & 07777);
    }

    private static Attr attrOrNull(Path p, ExportRoot e) throws IOException {
        try {
            return HostAttrs.read(p, e);
        } catch (NoSuchFileException | FileAlreadyExistsException absent) {
            return null;
        }
    }

    private static boolean sameFile(Attr a, Attr b) {
        return a.ino() == b.ino() && a.dev() == b.dev();
    }

    /** What an open fid of a just-removed name reports from then on. */
    private static Attr unlinked(Attr a) {
        long nlink = a.isDirectory() ? 0 : Math.max(0, a.nlink() - 1);
        return new Attr(a.mode(), nlink, a.uid(), a.gid(), a.size(), a.blocks(), a.blksize(), a.ino(), a.dev(),
                a.rdev(), a.atime(), a.mtime(), a.ctime());
    }
}
