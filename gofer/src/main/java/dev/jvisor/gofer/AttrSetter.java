package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * SETATTR. Works around three JDK traits: chmod "without following" opens the file (which blocks
 * on a fifo), setting times opens the file O_RDONLY (same), and FileChannel.truncate only shrinks.
 */
final class AttrSetter {
    private final Session s;
    private final LookupOps lookup;

    AttrSetter(Session s, LookupOps lookup) {
        this.s = s;
        this.lookup = lookup;
    }

    Attr apply(int fid, SetAttr c) throws IOException {
        Fid f = s.fids.get(fid);
        if ((c.mask() & ~SetAttr.ALL) != 0) {
            throw new GoferException(Errno.EINVAL, "unknown setattr mask bits " + Integer.toHexString(c.mask()));
        }
        if (c.mask() == 0) {
            return lookup.stat(fid);
        }
        f.export.checkWritable();
        if (f.detached) {
            return applyDetached(f, c);
        }
        Path p = HostPaths.resolve(f);
        BasicFileAttributes a = HostPaths.lstat(p);
        if (c.has(SetAttr.UID)) {
            Files.setAttribute(p, "unix:uid", c.uid(), LinkOption.NOFOLLOW_LINKS); // lchown
        }
        if (c.has(SetAttr.GID)) {
            Files.setAttribute(p, "unix:gid", c.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (c.has(SetAttr.MODE)) {
            if (a.isSymbolicLink()) {
                throw new GoferException(Errno.EOPNOTSUPP, "symlinks have no mode of their own");
            }
            // chmod(2) by name: the name was just checked not to be a symlink.
            Files.setAttribute(p, "unix:mode", c.mode() & 07777);
        }
        if (c.has(SetAttr.SIZE)) {
            if (a.isDirectory()) {
                throw new GoferException(Errno.EISDIR, "truncate of a directory");
            }
            if (!a.isRegularFile()) {
                throw new GoferException(Errno.EINVAL, "truncate of a special file");
            }
            FileChannel open = writableChannel(f);
            if (open != null) {
                resize(open, c.size());
            } else {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    resize(ch, c.size());
                }
            }
        }
        if (hasTimes(c)) {
            setTimes(p, a, c);
        }
        return HostAttrs.read(p, f.export);
    }

    /** An unlinked file can only still be resized, through its open channel. */
    private Attr applyDetached(Fid f, SetAttr c) throws IOException {
        FileChannel ch = writableChannel(f);
        if (c.mask() != SetAttr.SIZE || ch == null) {
            throw new GoferException(Errno.ENOENT, "fid " + f.id + " was unlinked");
        }
        resize(ch, c.size());
        return lookup.stat(f.id);
    }

    private static FileChannel writableChannel(Fid f) {
        return f.open != null && f.open.channel != null && OpenFlags.canWrite(f.open.flags) ? f.open.channel : null;
    }

    /** ftruncate semantics: shrink, or grow with a hole (only the last byte is written). */
    private static void resize(FileChannel ch, long size) throws IOException {
        if (size < 0) {
            throw new GoferException(Errno.EINVAL, "negative size");
        }
        long current = ch.size();
        if (size < current) {
            ch.truncate(size);
        } else if (size > current) {
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private static boolean hasTimes(SetAttr c) {
        return c.has(SetAttr.ATIME) || c.has(SetAttr.MTIME) || c.has(SetAttr.ATIME_NOW) || c.has(SetAttr.MTIME_NOW);
    }

    private static void setTimes(Path p, BasicFileAttributes a, SetAttr c) throws IOException {
        FileTime now = FileTime.from(Instant.now());
        FileTime atime = c.has(SetAttr.ATIME_NOW) ? now : c.has(SetAttr.ATIME) ? c.atime().toFileTime() : null;
        FileTime mtime = c.has(SetAttr.MTIME_NOW) ? now : c.has(SetAttr.MTIME) ? c.mtime().toFileTime() : null;
        BasicFileAttributeView view = Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() || a.isDirectory() || a.isSymbolicLink()) {
            view.setTimes(mtime, atime, null); // symlinks: lutimes, others: futimens on an O_RDONLY fd
            return;
        }
        int type = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & Attr.S_IFMT;
        if (type == Attr.S_IFIFO) {
            // The JDK's own O_RDONLY open would wait for a writer; holding an O_RDWR end (which
            // never blocks on Linux) makes it return at once.
            try (FileChannel pin = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                view.setTimes(mtime, atime, null);
            }
            return;
        }
        if (type == Attr.S_IFSOCK) {
            view.setTimes(mtime, atime, null); // the JDK's open gets ENXIO and falls back to utimes
            return;
        }
        throw new GoferException(Errno.EPERM, "the gofer never opens device nodes");
    }
}
