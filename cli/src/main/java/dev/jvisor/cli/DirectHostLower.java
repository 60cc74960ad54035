package dev.jvisor.cli;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.fs.overlay.LowerFs;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.FileMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lower layer read straight from a host directory, never following symlinks on the host. A
 * stopgap until the gofer serves the root file system from its own process.
 */
final class DirectHostLower implements LowerFs {
    private final Path root;

    DirectHostLower(Path root) {
        this.root = root;
    }

    private Path host(String path) {
        if (path.contains("\0") || path.startsWith("/")) {
            throw new SyscallException(Errno.EINVAL);
        }
        Path p = root;
        if (!path.isEmpty()) {
            for (String part : path.split("/")) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new SyscallException(Errno.EINVAL);
                }
                // Never walk through a host symlink: the Sentry resolves links itself.
                if (Files.isSymbolicLink(p)) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
                p = p.resolve(part);
            }
        }
        return p;
    }

    private static int errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        return Errno.EIO;
    }

    @Override
    public LowerAttr stat(String path) {
        try {
            Map<String, Object> a = Files.readAttributes(host(path), "unix:*", LinkOption.NOFOLLOW_LINKS);
            return new LowerAttr((Long) a.get("ino"), (Integer) a.get("mode"), (Integer) a.get("uid"),
                    (Integer) a.get("gid"), (Long) a.get("size"), nanos(a.get("lastAccessTime")),
                    nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), (Integer) a.get("nlink"),
                    (Long) a.get("rdev"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SyscallException(errno(e));
        }
    }

    private static long nanos(Object t) {
        java.time.Instant i = ((FileTime) t).toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public List<DirEntry> list(String path) {
        List<DirEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(host(path))) {
            for (Path p : ds) {
                Map<String, Object> a = Files.readAttributes(p, "unix:ino,mode", LinkOption.NOFOLLOW_LINKS);
                out.add(new DirEntry(p.getFileName().toString(), (Long) a.get("ino"),
                        FileMode.dtype((Integer) a.get("mode"))));
            }
        } catch (IOException e) {
            throw new SyscallException(errno(e));
        }
        return out;
    }

    @Override
    public String readlink(String path) {
        try {
            return Files.readSymbolicLink(host(path)).toString();
        } catch (IOException e) {
            throw new SyscallException(errno(e));
        }
    }

    @Override
    public int read(String path, long off, byte[] dst, int dstOff, int len) {
        try (FileChannel ch = FileChannel.open(host(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            int n = ch.read(ByteBuffer.wrap(dst, dstOff, len), off);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new SyscallException(errno(e));
        }
    }
}
