package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Requests on opened fids: OPEN, READ, WRITE, READDIR, FSYNC. */
final class IoOps {
    private final Session s;

    IoOps(Session s) {
        this.s = s;
    }

    void open(int fid, int flags) throws IOException {
        Fid f = s.fids.get(fid);
        if (f.open != null) {
            throw new GoferException(Errno.EINVAL, "fid " + fid + " is already open; CLONE it first");
        }
        if ((flags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE) {
            throw new GoferException(Errno.EINVAL, "bad access mode");
        }
        Path p = HostPaths.resolve(f);
        BasicFileAttributes a = HostPaths.lstat(p);
        if (a.isSymbolicLink()) {
            throw new GoferException(Errno.ELOOP, "O_NOFOLLOW: fid is a symlink");
        }
        if (a.isDirectory()) {
            if (OpenFlags.mayModify(flags)) {
                throw new GoferException(Errno.EISDIR, "directory opened for writing");
            }
            f.open = OpenFile.directory(flags);
            return;
        }
        if ((flags & OpenFlags.O_DIRECTORY) != 0) {
            throw new GoferException(Errno.ENOTDIR, "O_DIRECTORY on a non-directory");
        }
        if (OpenFlags.mayModify(flags)) {
            f.export.checkWritable();
        }
        if (!a.isRegularFile()) {
            // Opening a fifo would block the server until a peer appears, and device nodes are
            // the Sentry's business (as on a nodev mount); it implements both itself.
            int type = modeOf(p);
            boolean device = type == Attr.S_IFCHR || type == Attr.S_IFBLK;
            throw new GoferException(device ? Errno.EACCES : Errno.ENXIO, "only regular files and directories are opened on the host");
        }
        f.open = OpenFile.file(flags, openChannel(p, flags));
    }

    /**
     * O_APPEND is emulated by WRITE (the JDK refuses READ with APPEND), and O_TRUNC needs write
     * access on the host even for O_RDONLY, as on Linux; the fid's own flags still decide what
     * READ and WRITE allow.
     */
    static FileChannel openChannel(Path p, int flags) throws IOException {
        Set<OpenOption> opts = new HashSet<>();
        opts.add(LinkOption.NOFOLLOW_LINKS);
        if (OpenFlags.canRead(flags)) {
            opts.add(StandardOpenOption.READ);
        }
        if (OpenFlags.canWrite(flags)) {
            opts.add(StandardOpenOption.WRITE);
        }
        if ((flags & OpenFlags.O_TRUNC) != 0) {
            opts.add(StandardOpenOption.WRITE);
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        return FileChannel.open(p, opts);
    }

    /** Reads into {@code out}: u32 count then the bytes; a short count only at end of file. */
    void read(int fid, long offset, int count, WireWriter out) throws IOException {
        FileChannel ch = channel(fid, true);
        if (offset < 0) {
            throw new GoferException(Errno.EINVAL, "negative offset");
        }
        // Never allocate more than the file can give: a big count at EOF is a common probe.
        long available = Math.max(0, ch.size() - offset);
        int n = (int) Math.min(Math.min(Integer.toUnsignedLong(count), s.maxIo()), available);
        int countAt = out.position();
        out.u32(0);
        ByteBuffer window = out.window(n);
        int total = 0;
        while (window.hasRemaining()) {
            int r = ch.read(window, offset + total);
            if (r <= 0) {
                break;
            }
            total += r;
        }
        out.skip(total);
        out.patchU32(countAt, total);
    }

    int write(int fid, long offset, ByteBuffer data) throws IOException {
        Fid f = s.fids.get(fid);
        FileChannel ch = channel(fid, false);
        if (offset < 0) {
            throw new GoferException(Errno.EINVAL, "negative offset");
        }
        long pos = f.open.append() ? ch.size() : offset;
        if (pos + data.remaining() < 0) {
            throw new GoferException(Errno.EFBIG, "write past the largest offset");
        }
        int total = 0;
        while (data.hasRemaining()) {
            total += ch.write(data, pos + total);
        }
        return total;
    }

    /**
     * Entries from {@code cookie} on, as many as fit in {@code maxBytes}. Cookie 0 re-reads the
     * host directory (rewinddir); other cookies index the listing taken then, so a listing in
     * several calls is consistent. "." and ".." are never included: the Sentry makes them.
     */
    List<DirEntry> readdir(int fid, long cookie, int maxBytes) throws IOException {
        Fid f = s.fids.get(fid);
        if (f.open == null) {
            throw new GoferException(Errno.EBADF, "fid " + fid + " is not open");
        }
        if (!f.open.isDirectory()) {
            throw new GoferException(Errno.ENOTDIR, "not a directory");
        }
        if (cookie < 0) {
            throw new GoferException(Errno.EINVAL, "bad cookie");
        }
        Path dir = HostPaths.resolveDirectory(f);
        if (cookie == 0 || f.open.listing == null) {
            f.open.listing = list(dir);
        }
        List<String> listing = f.open.listing;
        long budget = Math.min(Integer.toUnsignedLong(maxBytes), s.maxFrame - Protocol.IO_OVERHEAD);
        List<DirEntry> entries = new ArrayList<>();
        for (long i = cookie; i < listing.size(); i++) {
            String name = listing.get((int) i);
            int size = DirEntry.wireSize(name.getBytes(StandardCharsets.UTF_8).length);
            if (size > budget) {
                if (entries.isEmpty()) {
                    throw new GoferException(Errno.EINVAL, "maxBytes too small for the next entry");
                }
                break;
            }
            Map<String, Object> m;
            try {
                m = Files.readAttributes(dir.resolve(name), "unix:ino,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException gone) {
                continue; // removed since the listing was taken
            }
            entries.add(new DirEntry(name, (Long) m.get("ino"), DirEntry.typeOf((Integer) m.get("mode")), i + 1));
            budget -= size;
        }
        return entries;
    }

    void fsync(int fid) throws IOException {
        Fid f = s.fids.get(fid);
        if (f.open == null) {
            throw new GoferException(Errno.EBADF, "fid " + fid + " is not open");
        }
        if (f.open.channel != null) {
            f.open.channel.force(true);
            return;
        }
        try (FileChannel d = FileChannel.open(HostPaths.resolveDirectory(f), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            d.force(true);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    private FileChannel channel(int fid, boolean forRead) throws GoferException {
        Fid f = s.fids.get(fid);
        if (f.open == null) {
            throw new GoferException(Errno.EBADF, "fid " + fid + " is not open");
        }
        if (f.open.isDirectory()) {
            throw new GoferException(Errno.EISDIR, "fid " + fid + " is a directory");
        }
        boolean allowed = forRead ? OpenFlags.canRead(f.open.flags) : OpenFlags.canWrite(f.open.flags);
        if (!allowed) {
            throw new GoferException(Errno.EBADF, "fid " + fid + " is not open for " + (forRead ? "reading" : "writing"));
        }
        return f.open.channel;
    }

    private static int modeOf(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & Attr.S_IFMT;
    }
}
