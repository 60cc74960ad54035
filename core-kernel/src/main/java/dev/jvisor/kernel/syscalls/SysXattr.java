package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * Extended attributes: no file system of the sandbox stores them, so after checking the file exists
 * every call answers ENOTSUP (EOPNOTSUPP), as Linux does on such a file system.
 */
final class SysXattr {
    private SysXattr() {}

    /** getxattr(2), setxattr(2), listxattr(2), removexattr(2) by path (following symlinks). */
    static long byPath(Task t, SyscallArgs a) {
        SysPath.lookupAt(t, SysPath.AT_FDCWD, a.a0, 0, true);
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** The l* variants: the path's final symlink itself. */
    static long byLinkPath(Task t, SyscallArgs a) {
        SysPath.lookupAt(t, SysPath.AT_FDCWD, a.a0, SysPath.AT_SYMLINK_NOFOLLOW, true);
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** The f* variants. */
    static long byFd(Task t, SyscallArgs a) {
        t.fds().get(a.fd(0));
        throw new SyscallException(Errno.EOPNOTSUPP);
    }
}
