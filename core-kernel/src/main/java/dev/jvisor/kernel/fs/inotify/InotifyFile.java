package dev.jvisor.kernel.fs.inotify;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.AnonFile;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Fsnotify;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inotify instance (inotify(7)): its watches by wd and its queue of events, with Linux's rules.
 * Watch descriptors are handed out cyclically from 1 (idr_alloc_cyclic), so a removed wd is not
 * reused soon; an inode watched again gets its old wd, the mask replaced or (IN_MASK_ADD) extended.
 * An event equal to the last queued one is dropped (inotify_merge); at max_queued_events the queue
 * takes one IN_Q_OVERFLOW event (wd -1) and nothing more until it is read. read(2) returns whole
 * events, EINVAL if the next one does not fit; it blocks while the queue is empty (interruptible,
 * restarted after a handler or a checkpoint). A watch ends with IN_IGNORED: inotify_rm_watch, its
 * inode gone, IN_ONESHOT after its event.
 *
 * <p>All plain data in the kernel graph: watches (and the inodes they keep), queued events and the
 * wait queue (so epoll registrations) survive a checkpoint.
 */
public final class InotifyFile extends AnonFile {
    private static final long FIONREAD = 0x541b;
    private final InotifyLimits limits;
    /** The user the instance and its watches are charged to. */
    private final int uid;
    private final int maxEvents;
    private final TreeMap<Integer, InotifyWatch> watches = new TreeMap<>();
    private final ArrayDeque<InotifyEvent> queue = new ArrayDeque<>();
    /** Whether the IN_Q_OVERFLOW event is in the queue (it is queued at most once). */
    private boolean overflowQueued;
    private int lastWd;
    private boolean released;
    private final WaitQueue waitQueue = new WaitQueue();

    public InotifyFile(InotifyLimits limits, int uid, int flags) {
        super(FileMode.O_RDONLY | (flags & FileMode.O_NONBLOCK));
        this.limits = limits;
        this.uid = uid;
        this.maxEvents = InotifyLimits.MAX_QUEUED_EVENTS;
    }

    @Override
    protected String anonName() {
        return "inotify";
    }

    // ---- watches --------------------------------------------------------------------------------

    /**
     * inotify_add_watch on {@code inode}: updates this instance's watch of it (EEXIST with
     * IN_MASK_CREATE) or makes a new one (ENOSPC past max_user_watches). Returns the wd.
     */
    public int addWatch(Task t, Inode inode, int arg) {
        int events = arg & Fsnotify.IN_ALL_EVENTS;
        boolean oneshot = (arg & InotifyFlags.IN_ONESHOT) != 0;
        boolean excl = (arg & InotifyFlags.IN_EXCL_UNLINK) != 0;
        synchronized (this) {
            for (InotifyWatch w : watches.values()) {
                if (w.inode == inode) {
                    if ((arg & InotifyFlags.IN_MASK_CREATE) != 0) {
                        throw new SyscallException(Errno.EEXIST);
                    }
                    if ((arg & InotifyFlags.IN_MASK_ADD) == 0) {
                        w.mask = 0;
                        w.oneshot = false;
                        w.exclUnlink = false;
                    }
                    w.mask |= events;
                    w.oneshot |= oneshot;
                    w.exclUnlink |= excl;
                    return w.wd;
                }
            }
            int wd = nextWd();
            if (!limits.addWatch(uid)) {
                // Linux takes the wd before it charges the watch: the cursor has moved on anyway.
                throw new SyscallException(Errno.ENOSPC);
            }
            InotifyWatch w = new InotifyWatch(this, wd, inode);
            w.mask = events;
            w.oneshot = oneshot;
            w.exclUnlink = excl;
            watches.put(wd, w);
            inode.watchesForAdd().add(t.kernel, w);
            return wd;
        }
    }

    /** The next free wd after the last one handed out, wrapping to 1. */
    private int nextWd() {
        int wd = lastWd;
        do {
            wd = wd == Integer.MAX_VALUE ? 1 : wd + 1;
        } while (watches.containsKey(wd));
        lastWd = wd;
        return wd;
    }

    /** inotify_rm_watch: EINVAL for a wd this instance does not have. */
    public void removeWatch(int wd) {
        synchronized (this) {
            InotifyWatch w = watches.get(wd);
            if (w == null) {
                throw new SyscallException(Errno.EINVAL);
            }
            end(w);
        }
        waitQueue.wakeAll(PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /** Ends a watch: IN_IGNORED is queued, the inode forgets it, the user is uncharged. Under the lock. */
    private void end(InotifyWatch w) {
        if (watches.remove(w.wd) != w) {
            return;
        }
        enqueue(new InotifyEvent(w.wd, Fsnotify.IN_IGNORED, 0, null));
        if (w.inode.watches() != null) {
            w.inode.watches().remove(w);
        }
        limits.removeWatch(uid);
    }

    /** An event for watch {@code w} (see {@link dev.jvisor.kernel.vfs.InodeWatch#deliver}). */
    void deliver(InotifyWatch w, int event, String name, int cookie, boolean unlinked) {
        synchronized (this) {
            if (watches.get(w.wd) != w || !w.wants(event, unlinked)) {
                return;
            }
            int mask = event;
            if ((mask & (Fsnotify.IN_DELETE_SELF | Fsnotify.IN_MOVE_SELF)) != 0) {
                // inotify never reported IN_ISDIR with these, and Linux keeps it so.
                mask &= ~Fsnotify.IN_ISDIR;
            }
            mask &= Fsnotify.IN_ALL_EVENTS | Fsnotify.IN_ISDIR | Fsnotify.IN_UNMOUNT | Fsnotify.IN_IGNORED
                    | Fsnotify.IN_Q_OVERFLOW;
            enqueue(new InotifyEvent(w.wd, mask, cookie, name == null ? null : name.getBytes(StandardCharsets.UTF_8)));
            if (w.oneshot) {
                end(w);
            }
        }
        waitQueue.wakeAll(PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /** The watched inode is gone (after IN_DELETE_SELF): the watch ends. */
    void inodeGone(InotifyWatch w) {
        synchronized (this) {
            end(w);
        }
        waitQueue.wakeAll(PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /** fsnotify_add_event with inotify_merge: under the lock. */
    private void enqueue(InotifyEvent e) {
        if (released) {
            return;
        }
        if (queue.size() >= maxEvents) {
            if (!overflowQueued) {
                overflowQueued = true;
                queue.addLast(new InotifyEvent(-1, Fsnotify.IN_Q_OVERFLOW, 0, null));
            }
            return;
        }
        InotifyEvent last = queue.peekLast();
        if (last != null && last.sameAs(e)) {
            return;
        }
        queue.addLast(e);
    }

    // ---- reading --------------------------------------------------------------------------------

    private boolean nonblock() {
        return (flags & FileMode.O_NONBLOCK) != 0;
    }

    @Override
    public long read(Task t, long addr, long len) {
        while (true) {
            synchronized (this) {
                if (!queue.isEmpty()) {
                    return copyEvents(t, addr, len);
                }
                if (nonblock()) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            if (!waitQueue.await(t, this, () -> !queue.isEmpty())) {
                throw new SyscallException(Errno.ERESTARTSYS);
            }
        }
    }

    /** Copies the whole events that fit in {@code len} bytes, then takes them off the queue. Under the lock. */
    private long copyEvents(Task t, long addr, long len) {
        List<InotifyEvent> taken = new ArrayList<>();
        long size = 0;
        for (InotifyEvent e : queue) {
            if (size + e.size() > len) {
                break;
            }
            taken.add(e);
            size += e.size();
        }
        if (taken.isEmpty()) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        for (InotifyEvent e : taken) {
            e.writeTo(b);
        }
        // Copy first, consume after: a fault leaves the queue as it was.
        t.mm().copyOut(addr, b.array(), 0, (int) size);
        for (int i = 0; i < taken.size(); i++) {
            InotifyEvent e = queue.pollFirst();
            if (e.mask == Fsnotify.IN_Q_OVERFLOW && e.wd == -1) {
                overflowQueued = false;
            }
        }
        return size;
    }

    @Override
    public long write(Task t, long addr, long len) {
        throw new SyscallException(Errno.EBADF);
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        if (request == FIONREAD) {
            int n;
            synchronized (this) {
                n = 0;
                for (InotifyEvent e : queue) {
                    n += e.size();
                }
            }
            t.mm().writeInt(arg, n);
            return 0;
        }
        return super.ioctl(t, request, arg);
    }

    /** inotify_poll: readable while an event is queued. */
    @Override
    public synchronized int readiness(int mask) {
        return queue.isEmpty() ? 0 : PollEvents.POLLIN | PollEvents.POLLRDNORM;
    }

    @Override
    public WaitQueue readinessQueue() {
        return waitQueue;
    }

    @Override
    public synchronized String fdinfo(Task t) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, InotifyWatch> e : watches.entrySet()) {
            InotifyWatch w = e.getValue();
            sb.append(String.format("inotify wd:%x ino:%x sdev:%x mask:%x ignored_mask:0\n", w.wd, w.inode.ino(),
                    w.inode.fs().dev(), w.mask | (w.oneshot ? InotifyFlags.IN_ONESHOT : 0)
                            | (w.exclUnlink ? InotifyFlags.IN_EXCL_UNLINK : 0)));
        }
        return sb.toString();
    }

    /** The last close: every watch goes, and the instance stops counting against its user. */
    @Override
    public void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            for (InotifyWatch w : new ArrayList<>(watches.values())) {
                end(w);
            }
            queue.clear();
        }
        limits.removeInstance(uid);
    }
}
