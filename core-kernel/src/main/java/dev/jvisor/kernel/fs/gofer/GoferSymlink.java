package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;

/**
 * A symlink of a bind mount. The gofer never follows it; its text, read once when it is looked up (a
 * symlink's text cannot change without it becoming another inode), is resolved by the Sentry's path
 * walk in the sandbox's namespace, so a link pointing outside the export leads into the sandbox, not
 * to the host.
 */
public final class GoferSymlink extends GoferInode {
    private final String target;

    GoferSymlink(GoferFs fs, GoferDir parent, String name, Attr a, String target) {
        super(fs, parent, name, a);
        this.target = target;
    }

    @Override
    public String readlink(Task t) {
        return target;
    }

    /** lchmod: Linux refuses to change a symlink's mode. */
    @Override
    public void chmod(Task t, int newMode) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }
}
