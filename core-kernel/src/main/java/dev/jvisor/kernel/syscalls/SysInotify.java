package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.inotify.InotifyFile;
import dev.jvisor.kernel.fs.inotify.InotifyFlags;
import dev.jvisor.kernel.fs.inotify.InotifyLimits;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PathResolver;

/** inotify(7): inotify_init(2), inotify_init1(2), inotify_add_watch(2), inotify_rm_watch(2). */
final class SysInotify {
    private SysInotify() {}

    private static final int MAY_READ = 4;

    /** inotify_init(2) */
    static long inotifyInit(Task t, SyscallArgs a) {
        return create(t, 0);
    }

    /** inotify_init1(2): IN_NONBLOCK and IN_CLOEXEC (O_NONBLOCK, O_CLOEXEC); other bits EINVAL. */
    static long inotifyInit1(Task t, SyscallArgs a) {
        if ((a.a0 & ~(long) (FileMode.O_NONBLOCK | FileMode.O_CLOEXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return create(t, (int) a.a0);
    }

    private static long create(Task t, int flags) {
        InotifyLimits limits = t.kernel.inotify();
        int uid = t.threadGroup().creds.euid;
        if (!limits.addInstance(uid)) {
            throw new SyscallException(Errno.EMFILE);
        }
        InotifyFile f = new InotifyFile(limits, uid, flags);
        try {
            return t.fds().install(f, 0, (flags & FileMode.O_CLOEXEC) != 0,
                    t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE]);
        } catch (SyscallException e) {
            f.release();
            throw e;
        }
    }

    private static InotifyFile instance(Task t, int fd) {
        FileDescription f = t.fds().get(fd);
        if (!(f instanceof InotifyFile i)) {
            throw new SyscallException(Errno.EINVAL);
        }
        return i;
    }

    /**
     * inotify_add_watch(2): the path is followed unless IN_DONT_FOLLOW, must be a directory with
     * IN_ONLYDIR, and must be readable by the caller; returns the watch's wd.
     */
    static long inotifyAddWatch(Task t, SyscallArgs a) {
        int mask = (int) a.a2;
        if ((mask & ~InotifyFlags.ALL_BITS) != 0 || (mask & InotifyFlags.ALL_BITS) == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        t.fds().get(a.fd(0));
        if ((mask & InotifyFlags.IN_MASK_ADD) != 0 && (mask & InotifyFlags.IN_MASK_CREATE) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        InotifyFile in = instance(t, a.fd(0));
        String p = SysPath.path(t, a.a1);
        Location l = PathResolver.resolve(t, t.fsContext().cwd, p, (mask & InotifyFlags.IN_DONT_FOLLOW) == 0);
        if ((mask & InotifyFlags.IN_ONLYDIR) != 0 && !l.inode().isDir()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (!l.inode().permits(t.threadGroup().creds, MAY_READ)) {
            throw new SyscallException(Errno.EACCES);
        }
        return in.addWatch(t, l.inode(), mask);
    }

    /** inotify_rm_watch(2): IN_IGNORED is queued for the watch. */
    static long inotifyRmWatch(Task t, SyscallArgs a) {
        instance(t, a.fd(0)).removeWatch((int) a.a1);
        return 0;
    }
}
