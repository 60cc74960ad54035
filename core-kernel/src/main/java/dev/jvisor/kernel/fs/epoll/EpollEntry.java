package dev.jvisor.kernel.fs.epoll;

import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.WaitQueue;

/**
 * One entry of an epoll interest list (Linux's epitem): the watched fd and description, the events
 * and user data given to epoll_ctl, and whether it is on the ready list. It watches the file's
 * readiness queue and is told of the file's last close. Part of the kernel graph; all of it is
 * guarded by the owning {@link EpollFile}'s monitor.
 */
public final class EpollEntry implements WaitQueue.Watcher, FileDescription.CloseListener {
    final EpollFile owner;
    final int fd;
    final FileDescription file;
    /** EPOLL* events, with EPOLLERR|EPOLLHUP always added and the private bits (ET, ONESHOT...). */
    int events;
    long data;
    boolean onReadyList;
    boolean removed;
    /** The queue this entry is registered on (compared with the file's after a restore). */
    WaitQueue registeredOn;
    /** When the file's readiness may next change by itself (sandbox monotonic ns), or Long.MAX_VALUE. */
    long deadline = Long.MAX_VALUE;
    /** Whether the entry is in the owner's list of entries with a deadline. */
    boolean timed;

    EpollEntry(EpollFile owner, int fd, FileDescription file, int events, long data) {
        this.owner = owner;
        this.fd = fd;
        this.file = file;
        this.events = events;
        this.data = data;
    }

    @Override
    public void wake(int key) {
        owner.entryWoken(this, key);
    }

    @Override
    public void descriptionClosed(FileDescription f) {
        owner.remove(this);
    }
}
