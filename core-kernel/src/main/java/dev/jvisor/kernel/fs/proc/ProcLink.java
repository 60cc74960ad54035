package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.fs.host.HostStdioNode;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.fs.pipe.PipeInode;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FsContext;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MagicLink;
import dev.jvisor.kernel.vfs.PathResolver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A procfs symlink. self and thread-self name the caller's own directory; exe shows the program's
 * path; cwd, root and fd/N are magic links: following them leads to the object itself, whatever
 * path (if any) it has.
 *
 * <p>What fd/N shows: the path of a file opened by path (with " (deleted)" once unlinked);
 * {@code pipe:[ino]} for an anonymous pipe; for the host stdio the sandbox inherited, what Linux
 * would show for the host object: {@code /dev/pts/N} or {@code /dev/ttyN} for a terminal,
 * {@code /dev/null}, {@code pipe:[ino]} or {@code socket:[ino]} with the host inode number, and
 * {@code host:[fd]} for anything else (a redirected host file, whose path the Sentry does not know);
 * any other description's {@code describe()} (e.g. {@code anon_inode:[eventfd]}).
 */
public final class ProcLink extends Inode implements MagicLink {
    /** What the link names. */
    public enum Kind { SELF, THREAD_SELF, EXE, CWD, ROOT, FD, TEXT }

    private final Kind kind;
    private final int tgid;
    private final int tid;
    private final int fd;
    private final String text;

    ProcLink(ProcFs fs, long ino, Kind kind, int tgid, int tid, int fd, String text) {
        this(fs, ino, kind, tgid, tid, fd, text, 0777, 0, 0);
    }

    ProcLink(ProcFs fs, long ino, Kind kind, int tgid, int tid, int fd, String text, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFLNK | perm, uid, gid);
        this.kind = kind;
        this.tgid = tgid;
        this.tid = tid;
        this.fd = fd;
        this.text = text;
    }

    public Kind kind() {
        return kind;
    }

    /** Like Linux: fd links have size 64, the others 0. */
    @Override
    public long size(Task t) {
        return kind == Kind.FD ? 64 : 0;
    }

    private Task subject(Task t) {
        Task s = tid == 0 ? ProcFs.groupTask(t, tgid) : ProcFs.thread(t, tgid, tid);
        if (s == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        return s;
    }

    private FileDescription description(Task t) {
        FileDescription f = subject(t).fds().snapshot().get(fd);
        if (f == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        return f;
    }

    @Override
    public String readlink(Task t) {
        return switch (kind) {
            case SELF -> Integer.toString(t.threadGroup().tgid);
            case THREAD_SELF -> t.threadGroup().tgid + "/task/" + t.tid;
            case TEXT -> text;
            case EXE -> {
                String p = subject(t).threadGroup().exePath;
                if (p == null) {
                    throw new SyscallException(Errno.ENOENT);
                }
                yield p;
            }
            case CWD, ROOT -> {
                FsContext fc = subject(t).fsContext();
                yield PathResolver.pathOf(kind == Kind.CWD ? fc.cwd : fc.root, t.fsContext().root);
            }
            case FD -> describe(t, description(t));
        };
    }

    /** What /proc/PID/fd/N shows for {@code f}, seen by {@code t}. */
    static String describe(Task t, FileDescription f) {
        Location l = f.location();
        if (l != null) {
            String p = PathResolver.pathOf(l, t.fsContext().root);
            Inode i = l.inode();
            if (i.nlink() == 0 && !i.isDir()) {
                p += " (deleted)";
            }
            return p;
        }
        if (f instanceof HostStdioFile h) {
            return hostName(t, h);
        }
        return f.describe();
    }

    private static String hostName(Task t, HostStdioFile h) {
        byte[] st;
        try {
            st = h.stat(t);
        } catch (SyscallException e) {
            return h.describe();
        }
        ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        long ino = b.getLong(8);
        int mode = b.getInt(24);
        long rdev = b.getLong(40);
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        switch (mode & FileMode.S_IFMT) {
            case FileMode.S_IFIFO:
                return "pipe:[" + ino + "]";
            case FileMode.S_IFSOCK:
                return "socket:[" + ino + "]";
            case FileMode.S_IFCHR:
                if (major >= 136 && major <= 143) {
                    return "/dev/pts/" + ((major - 136) * 256 + minor);
                }
                if (major == 4) {
                    return "/dev/tty" + minor;
                }
                if (major == 5 && minor == 0) {
                    return "/dev/tty";
                }
                if (major == 1) {
                    switch ((int) minor) {
                        case 3: return "/dev/null";
                        case 5: return "/dev/zero";
                        case 7: return "/dev/full";
                        case 8: return "/dev/random";
                        case 9: return "/dev/urandom";
                        default: break;
                    }
                }
                return h.describe();
            default:
                return h.describe();
        }
    }

    @Override
    public Location follow(Task t, Location link) {
        switch (kind) {
            case CWD:
                return subject(t).fsContext().cwd;
            case ROOT:
                return subject(t).fsContext().root;
            case FD: {
                FileDescription f = description(t);
                if (f.location() != null) {
                    return f.location();
                }
                if (f instanceof PipeFileDescription p && p.inode() instanceof PipeInode pi) {
                    return pi.location();
                }
                if (f instanceof HostStdioFile h && !h.owned()) {
                    // Reopening host stdio (/dev/stdout...): a new description of the same host fd.
                    // (Not an owned one: its fd closes with its description.)
                    Dentry parent = link.dentry.parent() != null ? link.dentry.parent() : link.dentry;
                    HostStdioNode node = new HostStdioNode(fs, ProcFs.ino(tgid, 0x42, fd), h.hostFd());
                    return new Location(link.mount, new Dentry(h.describe(), parent, node));
                }
                // Nothing to reopen (an anonymous inode): the path walk fails as on Linux.
                throw new SyscallException(Errno.ENXIO);
            }
            default:
                return null;
        }
    }
}
