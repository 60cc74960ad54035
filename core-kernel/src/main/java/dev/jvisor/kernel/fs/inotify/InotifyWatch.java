package dev.jvisor.kernel.fs.inotify;

import dev.jvisor.kernel.vfs.Fsnotify;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.InodeWatch;

/**
 * One watch of an inotify instance: its wd, the inode it watches (which it keeps in the kernel
 * graph), the events it wants, and IN_ONESHOT / IN_EXCL_UNLINK. The instance's lock guards the
 * mutable fields.
 */
public final class InotifyWatch implements InodeWatch {
    final InotifyFile owner;
    final int wd;
    final Inode inode;
    int mask;
    boolean oneshot;
    boolean exclUnlink;

    InotifyWatch(InotifyFile owner, int wd, Inode inode) {
        this.owner = owner;
        this.wd = wd;
        this.inode = inode;
    }

    @Override
    public void deliver(int event, String name, int cookie, boolean unlinked) {
        owner.deliver(this, event, name, cookie, unlinked);
    }

    @Override
    public void inodeGone() {
        owner.inodeGone(this);
    }

    /** Whether this watch wants {@code event} (called under the instance's lock). */
    boolean wants(int event, boolean unlinked) {
        return (event & mask & Fsnotify.IN_ALL_EVENTS) != 0 && !(exclUnlink && unlinked);
    }
}
