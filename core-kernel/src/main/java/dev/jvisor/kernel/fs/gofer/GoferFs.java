package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.gofer.GoferException;
import dev.jvisor.gofer.StatFs;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SandboxFailure;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.FsStats;
import dev.jvisor.kernel.vfs.Inode;
import java.util.function.Consumer;

/**
 * A bind mount served by the gofer (runsc's bind mounts without an overlay): a host directory, or a
 * single file, whose changes go straight through to the host and whose host-side changes the sandbox
 * sees (attributes are fetched again on every path walk and stat). The tree of inodes is part of the
 * kernel graph, each inode named by its path below the export root; the gofer connection is a host
 * resource, re-attached after a restore ({@link #attach}) from the recorded export, and every file is
 * then re-walked lazily by path.
 *
 * <p>Nothing outside the export is reachable: the gofer walks one component at a time and never
 * follows a host symlink, while the Sentry's path walk handles ".." at the mount root (it climbs to
 * the mount point) and symlink targets (resolved in the sandbox's namespace).
 */
public final class GoferFs extends FileSystem {
    /** V9FS_MAGIC: what gVisor reports for gofer-backed mounts. */
    private static final long MAGIC = 0x01021997L;

    private final String exportName;
    private final String hostSource;
    private final boolean readOnly;
    /** Where it is mounted in the sandbox, for messages. */
    private final String destination;
    private GoferInode root;
    private transient GoferSession session;

    /**
     * Attaches to export {@code exportName} of the gofer behind {@code client}, which serves host path
     * {@code hostSource} at {@code destination}. {@code log} receives one line if the gofer fails.
     *
     * @throws SandboxFailure if the gofer has no such export or does not answer
     */
    public GoferFs(long dev, String exportName, String hostSource, boolean readOnly, String destination,
            GoferClient client, Consumer<String> log) {
        super(dev);
        this.exportName = exportName;
        this.hostSource = hostSource;
        this.readOnly = readOnly;
        this.destination = destination;
        attach(client, log);
        this.root = GoferInode.of(this, null, "", session.rootAttr());
    }

    /** Connects this mount to a (new) gofer; after a restore, before the app runs again. */
    public void attach(GoferClient client, Consumer<String> log) {
        try {
            session = GoferSession.attach(client, exportName, "the bind mount on " + destination, log);
        } catch (GoferException e) {
            throw new SandboxFailure("cannot attach the bind mount of " + hostSource + " on " + destination
                    + ": " + e.getMessage());
        }
        Attr a = session.rootAttr();
        if (root != null && (root.type() != (a.mode() & Attr.S_IFMT))) {
            throw new SandboxFailure("cannot restore: the bind mount source " + hostSource + " is no longer a "
                    + (root.isDir() ? "directory" : "file"));
        }
        if (root != null) {
            root.apply(a);
        }
    }

    GoferSession session() {
        GoferSession s = session;
        if (s == null) {
            // Restored but never attached: the runtime forgot this mount.
            throw new SyscallException(Errno.EIO);
        }
        return s;
    }

    /** Whether a gofer connection is attached (false between a restore and {@link #attach}). */
    public boolean attached() {
        return session != null;
    }

    public String exportName() {
        return exportName;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public String destination() {
        return destination;
    }

    @Override
    public String hostSource() {
        return hostSource;
    }

    @Override
    public String type() {
        return "9p";
    }

    @Override
    public long magic() {
        return MAGIC;
    }

    @Override
    public Inode root() {
        return root;
    }

    /** The host file system's block figures; the type is gVisor's for gofer mounts. */
    @Override
    public FsStats statfs(Task t, Inode at) {
        String path = at instanceof GoferInode g ? g.path() : "";
        if (path == null) {
            path = "";
        }
        StatFs s = session().statfs(path);
        return new FsStats(MAGIC, s.bsize(), s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), s.namelen());
    }

    /** A sandbox path for messages: the mount point and the path below it. */
    String display(String path) {
        if (path == null || path.isEmpty()) {
            return destination;
        }
        return destination.endsWith("/") ? destination + path : destination + "/" + path;
    }
}
