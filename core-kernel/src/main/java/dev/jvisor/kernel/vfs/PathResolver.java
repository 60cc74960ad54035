package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Path walk as Linux's namei does it: one component at a time from the root or a start directory,
 * "." and ".." (never above the process's root, across mount points), symlinks (at most 40),
 * mount crossing, search permission on every directory, and the errnos Linux gives.
 */
public final class PathResolver {
    private PathResolver() {}

    public static final int MAX_SYMLINKS = 40;
    public static final int NAME_MAX = 255;

    /** A directory and a last component, for calls that create or remove that component. */
    public static final class Parent {
        public final Location dir;
        public final String name;
        /** The path ended with a slash ("dir/"), so the object must be a directory. */
        public final boolean trailingSlash;

        Parent(Location dir, String name, boolean trailingSlash) {
            this.dir = dir;
            this.name = name;
            this.trailingSlash = trailingSlash;
        }
    }

    /** Resolves {@code path} from {@code start} (for relative paths); follows a final symlink if asked. */
    public static Location resolve(Task t, Location start, String path, boolean followLast) {
        if (path.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        int[] links = {0};
        return walk(t, start, path, followLast, links);
    }

    /** Resolves all but the last component; the last must not be "." or "..". */
    public static Parent resolveParent(Task t, Location start, String path) {
        if (path.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        boolean slash = path.endsWith("/");
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int cut = trimmed.lastIndexOf('/');
        String dirPart = cut < 0 ? "" : cut == 0 ? "/" : trimmed.substring(0, cut);
        String last = cut < 0 ? trimmed : trimmed.substring(cut + 1);
        Location dir = dirPart.isEmpty() ? start : walk(t, start, dirPart, true, new int[] {0});
        if (!dir.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (last.isEmpty()) {
            // "/" itself
            return new Parent(dir, ".", true);
        }
        if (last.length() > NAME_MAX) {
            throw new SyscallException(Errno.ENAMETOOLONG);
        }
        return new Parent(dir, last, slash);
    }

    private static Location walk(Task t, Location start, String path, boolean followLast, int[] links) {
        Location root = t.fsContext().root;
        Location cur = path.startsWith("/") ? root : start;
        Deque<String> parts = split(path);
        boolean mustBeDir = path.endsWith("/");
        while (!parts.isEmpty()) {
            String name = parts.pollFirst();
            Inode dir = cur.inode();
            if (!dir.isDir()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            if (!dir.permits(t.threadGroup().creds, 1)) {
                throw new SyscallException(Errno.EACCES);
            }
            if (name.equals("..")) {
                cur = parent(t, cur, root);
                continue;
            }
            if (name.equals(".")) {
                // Kept by split() so "file/." is ENOTDIR, as in Linux.
                continue;
            }
            if (name.length() > NAME_MAX) {
                throw new SyscallException(Errno.ENAMETOOLONG);
            }
            Dentry child = cur.dentry.child(t, name);
            if (child == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            Location next = crossMounts(t, new Location(cur.mount, child));
            boolean last = parts.isEmpty();
            if (next.inode().isSymlink() && (!last || followLast || mustBeDir)) {
                if (++links[0] > MAX_SYMLINKS) {
                    throw new SyscallException(Errno.ELOOP);
                }
                if (next.inode() instanceof MagicLink magic) {
                    // A procfs magic link leads to an object, not to the path its text shows.
                    Location to = magic.follow(t, next);
                    if (to != null) {
                        cur = to;
                        continue;
                    }
                }
                String target = next.inode().readlink(t);
                if (target.isEmpty()) {
                    throw new SyscallException(Errno.ENOENT);
                }
                Deque<String> more = split(target);
                while (!more.isEmpty()) {
                    parts.addFirst(more.pollLast());
                }
                if (target.startsWith("/")) {
                    cur = root;
                }
                continue;
            }
            cur = next;
        }
        if (mustBeDir && !cur.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return cur;
    }

    /** ".." from {@code cur}: stays at the process root, climbs out of mounts. */
    private static Location parent(Task t, Location cur, Location root) {
        Location c = cur;
        while (true) {
            if (c.sameAs(root)) {
                return c;
            }
            if (c.dentry == c.mount.root) {
                if (c.mount.parent == null) {
                    return c;
                }
                c = new Location(c.mount.parent, c.mount.mountpoint);
                continue;
            }
            return crossMounts(t, new Location(c.mount, c.dentry.parent()));
        }
    }

    /** If something is mounted on this point, the root of the topmost such mount. */
    static Location crossMounts(Task t, Location l) {
        return t.kernel.mounts().crossMounts(l);
    }

    /** The non-empty components of a path. */
    public static Deque<String> split(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** The absolute path of a location as seen from {@code root} (getcwd, /proc/self/fd). */
    public static String pathOf(Location l, Location root) {
        StringBuilder sb = new StringBuilder();
        Location c = l;
        int guard = 0;
        while (!c.sameAs(root) && guard++ < 4096) {
            if (c.dentry == c.mount.root) {
                if (c.mount.parent == null) {
                    if (!c.dentry.name().equals("/")) {
                        // The root of a detached file system that no path reaches (memfd:NAME), as d_path shows it.
                        sb.insert(0, "/" + c.dentry.name());
                    }
                    break;
                }
                c = new Location(c.mount.parent, c.mount.mountpoint);
                continue;
            }
            sb.insert(0, "/" + c.dentry.name());
            c = new Location(c.mount, c.dentry.parent());
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
