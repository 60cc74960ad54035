package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Turns fids into host paths without ever leaving the export. Java has no openat(2), so instead
 * of holding directory fds a fid holds its components, and every use rebuilds the path from the
 * export root, checking with lstat that each directory on the way is a real directory and not a
 * symlink. The server handles one request at a time and every mutation goes through it, so nothing
 * the sandbox does can swap a checked directory for a symlink between the check and the use; only
 * a concurrent host process could (see PROTOCOL.md, "Security").
 */
final class HostPaths {
    private HostPaths() {}

    /**
     * Checks one path component from the client: not empty, not "." or "..", no '/' or NUL, at
     * most {@link Protocol#MAX_NAME} bytes.
     */
    static String checkName(String name) throws GoferException {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new GoferException(Errno.EINVAL, "bad name '" + name + "'");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new GoferException(Errno.EINVAL, "name contains '/' or NUL");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > Protocol.MAX_NAME) {
            throw new GoferException(Errno.ENAMETOOLONG, "name longer than " + Protocol.MAX_NAME + " bytes");
        }
        return name;
    }

    /**
     * The host path of a fid, after checking that every ancestor below the export root is still a
     * directory and not a symlink. The last component itself is not checked: callers lstat it and
     * act on it with NOFOLLOW_LINKS.
     */
    static Path resolve(Fid fid) throws IOException {
        if (fid.detached) {
            throw new GoferException(Errno.ENOENT, "fid " + fid.id + " was unlinked");
        }
        List<String> path = fid.path;
        Path p = fid.export.root;
        for (int i = 0; i < path.size(); i++) {
            p = child(p, path.get(i));
            if (i < path.size() - 1) {
                requireDirectory(p, Errno.ELOOP);
            }
        }
        return p;
    }

    /** Like {@link #resolve}, and the fid itself must be a directory (not a symlink to one). */
    static Path resolveDirectory(Fid fid) throws IOException {
        Path p = resolve(fid);
        requireDirectory(p, Errno.ENOTDIR);
        return p;
    }

    /** The host path of {@code name} in the directory {@code dir}, name checked. */
    static Path childOf(Fid dir, String name) throws IOException {
        checkName(name);
        return child(resolveDirectory(dir), name);
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static Path child(Path dir, String name) throws GoferException {
        try {
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new GoferException(Errno.EINVAL, "name not representable on the host");
        }
    }

    private static void requireDirectory(Path p, int symlinkErrno) throws IOException {
        BasicFileAttributes a = lstat(p);
        if (a.isSymbolicLink()) {
            throw new GoferException(symlinkErrno, "symlink used as a directory");
        }
        if (!a.isDirectory()) {
            throw new GoferException(Errno.ENOTDIR, "not a directory");
        }
    }
}
