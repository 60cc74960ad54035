package dev.jvisor.cli;

import dev.jvisor.kernel.SandboxFailure;
import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.Mount;
import dev.jvisor.kernel.vfs.MountNamespace;
import dev.jvisor.kernel.vfs.PathResolver;
import java.util.Deque;

/**
 * Finds, or makes, the place a mount goes while the sandbox is being built (no task exists yet, so
 * the walk is done here on dentries): symlinks in the path are followed inside the sandbox's tree, as
 * runc's securejoin does, and a missing mount point is created as runsc does, in memory on the root
 * overlay or a tmpfs (the host's tree never changes for it), or on the host inside a writable bind
 * mount.
 */
final class MountPoints {
    private static final int MAX_SYMLINKS = 40;

    private MountPoints() {}

    /**
     * The location of {@code path} in {@code ns}, created if missing: a directory if {@code directory},
     * else a regular file.
     *
     * @throws SandboxFailure if the path cannot be a mount point of that kind
     */
    static Location ensure(MountNamespace ns, String path, boolean directory) {
        Deque<String> parts = PathResolver.split(path);
        Location root = ns.rootLocation();
        Location cur = root;
        int links = 0;
        while (!parts.isEmpty()) {
            String name = parts.pollFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                cur = parent(ns, cur);
                continue;
            }
            boolean last = parts.isEmpty();
            Dentry d = cur.dentry.child(null, name);
            if (d == null) {
                make(cur.inode(), name, !last || directory, path);
                d = cur.dentry.child(null, name);
                if (d == null) {
                    throw new SandboxFailure("cannot create the mount point " + path);
                }
            }
            Location next = ns.crossMounts(new Location(cur.mount, d));
            if (next.inode().isSymlink()) {
                if (++links > MAX_SYMLINKS) {
                    throw new SandboxFailure("mount point " + path + ": too many levels of symbolic links");
                }
                String target = next.inode().readlink(null);
                Deque<String> more = PathResolver.split(target);
                while (!more.isEmpty()) {
                    parts.addFirst(more.pollLast());
                }
                if (target.startsWith("/")) {
                    cur = root;
                }
                continue;
            }
            if (!last && !next.inode().isDir()) {
                throw new SandboxFailure("mount point " + path + ": " + name + " is not a directory");
            }
            cur = next;
        }
        if (cur.inode().isDir() != directory) {
            throw new SandboxFailure("cannot mount a " + (directory ? "directory" : "file") + " on " + path + ": it is a "
                    + (cur.inode().isDir() ? "directory" : "file") + " in the sandbox");
        }
        return cur;
    }

    /** Makes {@code name} in directory {@code dir} with no task: in memory, or on the host through the gofer. */
    private static void make(Inode dir, String name, boolean directory, String path) {
        try {
            if (dir instanceof MemDir md && md.fs() instanceof MemFs fs) {
                // The root overlay and tmpfs: a plain in-memory entry, owned by root like runsc's.
                Inode child = directory ? new MemDir(fs, fs.nextIno(), 0755, 0, 0) : new MemFile(fs, fs.nextIno(), 0644, 0, 0);
                md.addEntry(name, child);
            } else if (directory) {
                dir.mkdir(null, name, 0755);
            } else {
                dir.mknod(null, name, FileMode.S_IFREG | 0644, 0);
            }
        } catch (dev.jvisor.kernel.SyscallException e) {
            throw new SandboxFailure("cannot create the mount point " + path + " (" + dev.jvisor.kernel.Errno.name(e.errno)
                    + ")");
        }
    }

    /** ".." from {@code cur}: climbs out of mounts, stays at the root. */
    private static Location parent(MountNamespace ns, Location cur) {
        Location c = cur;
        while (c.dentry == c.mount.root) {
            Mount m = c.mount;
            if (m.parent == null) {
                return c;
            }
            c = new Location(m.parent, m.mountpoint);
        }
        return ns.crossMounts(new Location(c.mount, c.dentry.parent()));
    }
}
