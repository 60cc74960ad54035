package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.FidAttr;
import dev.jvisor.gofer.SetAttr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemFifo;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.fs.tmpfs.MemSocket;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.DirectoryDescription;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.RevalidatingDirectory;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * A directory of a bind mount. Every look-up asks the host what the name is now (one gofer request),
 * so files the host creates, removes or replaces show at once; the child inodes handed out are kept
 * by name, so a name that still leads to the same host object keeps its inode (and its locks, open
 * files and mappings). Changes go to the host first; the tree of inodes follows only when the host
 * has made them.
 */
public final class GoferDir extends GoferInode implements RevalidatingDirectory {
    private final HashMap<String, GoferInode> children = new HashMap<>();
    /**
     * FIFOs and socket files made in the sandbox (mkfifo, bind of an AF_UNIX socket): as gVisor's
     * synthetic files, they live in the Sentry only, never on the host (a host FIFO would block the
     * gofer, a host socket file would lead nowhere). Created lazily: most directories have none.
     */
    private TreeMap<String, Inode> synthetic;

    GoferDir(GoferFs fs, GoferDir parent, String name, Attr a) {
        super(fs, parent, name, a);
    }

    @Override
    public Inode lookup(Task t, String name) {
        synchronized (fs) {
            if (synthetic != null && synthetic.containsKey(name)) {
                return synthetic.get(name);
            }
            String dir = path();
            if (dir == null) {
                return null;
            }
            Attr a = session().statPath(GoferSession.join(dir, name));
            GoferInode known = children.get(name);
            if (a == null) {
                if (known != null) {
                    children.remove(name);
                    known.markRemoved();
                }
                return null;
            }
            if (known != null && known.sameObject(a)) {
                known.apply(a);
                return known;
            }
            if (known != null) {
                // The host put another object under this name.
                known.markRemoved();
            }
            GoferInode fresh = GoferInode.of(gofer(), this, name, a);
            children.put(name, fresh);
            return fresh;
        }
    }

    @Override
    public boolean revalidate(Task t, String name, Inode cached) {
        return lookup(t, name) == cached;
    }

    @Override
    public List<DirEntry> readdir(Task t) {
        List<DirEntry> out = session().list(livePath());
        synchronized (fs) {
            if (synthetic != null) {
                for (var e : synthetic.entrySet()) {
                    out.add(new DirEntry(e.getKey(), e.getValue().ino(), FileMode.dtype(e.getValue().mode())));
                }
            }
        }
        return out;
    }

    /** Whether the sandbox made FIFOs or sockets here (rmdir must then be ENOTEMPTY). */
    private boolean hasSynthetic() {
        return synthetic != null && !synthetic.isEmpty();
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        if (FileMode.writable(flags)) {
            throw new SyscallException(Errno.EISDIR);
        }
        return new DirectoryDescription(at, flags);
    }

    // ---- changes ------------------------------------------------------------------------------------

    /**
     * The host made {@code name} on the sandbox's behalf; the gofer (root, usually) owns it, so it is
     * given the caller's fs uid and gid as Linux would (the directory's group if it is setgid). A gofer
     * that may not chown leaves the host's choice.
     */
    private Attr own(Task t, String path, Attr a) {
        if (t == null) {
            return a;
        }
        var c = t.threadGroup().creds;
        int gid = (mode() & FileMode.S_ISGID) != 0 ? gid() : c.fsgid;
        if (a.uid() == c.fsuid && a.gid() == gid) {
            return a;
        }
        try {
            return session().setattr(path, SetAttr.owner(c.fsuid, gid));
        } catch (SyscallException e) {
            if (e.errno == Errno.EPERM) {
                return a;
            }
            throw e;
        }
    }

    private GoferInode added(String name, GoferInode child) {
        GoferInode old = children.put(name, child);
        if (old != null && old != child) {
            old.markRemoved();
        }
        return child;
    }

    @Override
    public Inode create(Task t, String name, int mode) {
        synchronized (fs) {
            String dir = livePath();
            FidAttr fa = session().create(dir, name, mode & 07777);
            Attr a = own(t, GoferSession.join(dir, name), fa.attr());
            GoferFile f = new GoferFile(gofer(), this, name, a);
            f.setCreatedFid(fa.fid());
            return added(name, f);
        }
    }

    @Override
    public Inode mkdir(Task t, String name, int mode) {
        synchronized (fs) {
            String dir = livePath();
            Attr a = own(t, GoferSession.join(dir, name), session().mkdir(dir, name, mode & 07777));
            return added(name, new GoferDir(gofer(), this, name, a));
        }
    }

    @Override
    public Inode symlink(Task t, String name, String target) {
        synchronized (fs) {
            String dir = livePath();
            Attr a = own(t, GoferSession.join(dir, name), session().symlink(dir, name, target));
            return added(name, new GoferSymlink(gofer(), this, name, a, target));
        }
    }

    /**
     * Regular files on the host; FIFOs and sockets in the Sentry only ({@link #synthetic}); device
     * nodes are EPERM (the gofer makes none).
     */
    @Override
    public Inode mknod(Task t, String name, int mode, long dev) {
        int type = mode & FileMode.S_IFMT;
        if (type == FileMode.S_IFIFO || type == FileMode.S_IFSOCK) {
            return mknodSynthetic(t, name, type, mode & 07777);
        }
        if (type != 0 && type != FileMode.S_IFREG) {
            throw new SyscallException(Errno.EPERM);
        }
        synchronized (fs) {
            String dir = livePath();
            Attr a = own(t, GoferSession.join(dir, name), session().mknod(dir, name, FileMode.S_IFREG | (mode & 07777)));
            return added(name, new GoferFile(gofer(), this, name, a));
        }
    }

    private Inode mknodSynthetic(Task t, String name, int type, int perm) {
        synchronized (fs) {
            String dir = livePath();
            if (lookup(t, name) != null) {
                throw new SyscallException(Errno.EEXIST);
            }
            MemFs mem = t.kernel.memfdFs();
            var c = t.threadGroup().creds;
            int gid = (mode() & FileMode.S_ISGID) != 0 ? gid() : c.fsgid;
            Inode node = type == FileMode.S_IFIFO ? new MemFifo(mem, mem.nextIno(), perm, c.fsuid, gid)
                    : new MemSocket(mem, mem.nextIno(), perm, c.fsuid, gid);
            if (synthetic == null) {
                synthetic = new TreeMap<>();
            }
            synthetic.put(name, node);
            return node;
        }
    }

    @Override
    public void link(Task t, String name, Inode target) {
        if (target.isDir()) {
            throw new SyscallException(Errno.EPERM);
        }
        if (!(target instanceof GoferInode g) || target.fs() != fs) {
            throw new SyscallException(Errno.EXDEV);
        }
        synchronized (fs) {
            String dir = livePath();
            Attr a = session().link(g.livePath(), dir, name);
            g.apply(a);
            // A second inode for the second name (the VFS keeps one inode per name here).
            added(name, GoferInode.of(gofer(), this, name, a));
        }
    }

    @Override
    public void unlink(Task t, String name, boolean dir) {
        synchronized (fs) {
            if (synthetic != null && synthetic.containsKey(name)) {
                if (dir) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
                synthetic.remove(name);
                return;
            }
            String path = livePath();
            if (dir && children.get(name) instanceof GoferDir d && d.hasSynthetic()) {
                throw new SyscallException(Errno.ENOTEMPTY);
            }
            session().unlink(path, name, dir);
            GoferInode child = children.remove(name);
            if (child != null) {
                child.markRemoved();
            }
        }
    }

    @Override
    public void rename(Task t, String name, Inode newDir, String newName) {
        if (!(newDir instanceof GoferDir to) || newDir.fs() != fs) {
            throw new SyscallException(Errno.EXDEV);
        }
        synchronized (fs) {
            if (synthetic != null && synthetic.containsKey(name)) {
                renameSynthetic(t, name, to, newName);
                return;
            }
            if (to.synthetic != null && to.synthetic.containsKey(newName)) {
                // A host object replaces a FIFO or socket the sandbox made.
                if (lookup(t, name) != null && lookup(t, name).isDir()) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
                to.synthetic.remove(newName);
            }
            String from = livePath();
            String dest = to.livePath();
            GoferInode child = children.get(name);
            GoferInode victim = to.children.get(newName);
            if (child instanceof GoferDir && victim instanceof GoferDir v && v.hasSynthetic()) {
                throw new SyscallException(Errno.ENOTEMPTY);
            }
            session().rename(from, name, dest, newName);
            if (child != null && victim != null && child != victim && victim.ino() == child.ino()
                    && victim.type() == child.type()) {
                // Two links of one file: rename(2) does nothing.
                return;
            }
            children.remove(name);
            if (victim != null && victim != child) {
                to.children.remove(newName);
                victim.markRemoved();
            }
            if (child != null) {
                child.moveTo(to, newName);
                to.children.put(newName, child);
            }
        }
    }

    /** Moves a FIFO or socket the sandbox made; a host object at the target is replaced as rename(2) does. */
    private void renameSynthetic(Task t, String name, GoferDir to, String newName) {
        Inode node = synthetic.get(name);
        Inode victim = to.lookup(t, newName);
        if (victim == node) {
            return;
        }
        if (victim != null && victim.isDir()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (victim != null) {
            to.unlink(t, newName, false);
        }
        synthetic.remove(name);
        if (to.synthetic == null) {
            to.synthetic = new TreeMap<>();
        }
        to.synthetic.put(newName, node);
    }
}
