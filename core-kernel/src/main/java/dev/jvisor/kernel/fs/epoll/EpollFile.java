package dev.jvisor.kernel.fs.epoll;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.MonotonicClock;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.AnonFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An epoll instance (epoll(7), Linux's struct eventpoll): an interest list of (fd, description)
 * entries and a ready list. Entries watch their files' readiness queues; a wake-up whose key matches
 * an entry's events puts it on the ready list, and epoll_wait reports the entries of the ready list
 * that are really ready, putting level-triggered ones back (edge-triggered ones wait for the next
 * wake-up; one-shot ones are disarmed until EPOLL_CTL_MOD). A file whose readiness changes with
 * time (a timerfd) wakes nobody: the instance keeps such entries' deadlines and queues them when the
 * deadline passes, so its waiters sleep until the earliest one.
 *
 * <p>Everything is in the kernel graph, so an epoll set survives a checkpoint with its interest and
 * ready lists. The lock order is instance, then the watched file (an inner epoll's instance); wake-ups
 * from files come without their locks.
 */
public final class EpollFile extends AnonFile {
    public static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    /** Flags that are about the entry, not events (EP_PRIVATE_BITS). */
    public static final int PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** What an EPOLLEXCLUSIVE entry may ask for (EPOLLEXCLUSIVE_OK_BITS). */
    public static final int EXCLUSIVE_OK_BITS = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET
            | EPOLLEXCLUSIVE;
    /** Longest chain of nested epoll instances (EP_MAX_NESTS). */
    static final int MAX_NESTS = 4;
    /** Size of struct epoll_event on x86-64 (packed: u32 events, u64 data). */
    public static final int EVENT_SIZE = 12;
    /**
     * Serializes changes of the nesting topology while a loop check walks it, as Linux's
     * epnested_mutex does. It guards no data of its own.
     */
    private static final Object NESTING = new Object();

    private final MonotonicClock clock;
    /** The interest list by fd; several descriptions may sit under one fd number (closed and reused fds). */
    private final TreeMap<Integer, ArrayList<EpollEntry>> entries = new TreeMap<>();
    private final ArrayDeque<EpollEntry> ready = new ArrayDeque<>();
    /** Entries whose file's readiness may change by itself at their deadline. */
    private final ArrayList<EpollEntry> timed = new ArrayList<>();
    /** Tasks in epoll_wait, pollers of this instance and entries of outer instances. */
    private final WaitQueue queue = new WaitQueue();
    /** False after a restore until the entries' registrations have been checked ({@link #verify}). */
    private transient boolean verified;

    public EpollFile(MonotonicClock clock, int flags) {
        super(flags);
        this.clock = clock;
        this.verified = true;
    }

    @Override
    protected String anonName() {
        return "eventpoll";
    }

    // ---- epoll_ctl ------------------------------------------------------------------------------

    /** EPOLL_CTL_ADD: EEXIST if (fd, file) is there; ELOOP for a cycle or too deep a nesting of instances. */
    public void add(int fd, FileDescription file, int events, long data) {
        EpollEntry e;
        if (file instanceof EpollFile inner) {
            synchronized (NESTING) {
                checkLoop(inner);
                e = insert(fd, file, events, data);
            }
        } else {
            e = insert(fd, file, events, data);
        }
        file.addCloseListener(e);
        WaitQueue q = file.readinessQueue();
        if (q != null) {
            q.watch(e);
        }
        boolean wake;
        synchronized (this) {
            e.registeredOn = q;
            wake = poll(e);
        }
        if (wake) {
            queue.wakeAll(PollEvents.POLLIN);
        }
    }

    private synchronized EpollEntry insert(int fd, FileDescription file, int events, long data) {
        verify();
        if (find(fd, file) != null) {
            throw new SyscallException(Errno.EEXIST);
        }
        EpollEntry e = new EpollEntry(this, fd, file, events | EPOLLERR | EPOLLHUP, data);
        entries.computeIfAbsent(fd, k -> new ArrayList<>(1)).add(e);
        return e;
    }

    /** EPOLL_CTL_MOD: ENOENT if absent; EINVAL for an EPOLLEXCLUSIVE entry (Linux never modifies those). */
    public void modify(int fd, FileDescription file, int events, long data) {
        boolean wake;
        synchronized (this) {
            verify();
            EpollEntry e = find(fd, file);
            if (e == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            if ((e.events & EPOLLEXCLUSIVE) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            e.events = events | EPOLLERR | EPOLLHUP;
            e.data = data;
            wake = poll(e);
        }
        if (wake) {
            queue.wakeAll(PollEvents.POLLIN);
        }
    }

    /** EPOLL_CTL_DEL: ENOENT if absent. */
    public void delete(int fd, FileDescription file) {
        EpollEntry e;
        synchronized (this) {
            verify();
            e = find(fd, file);
            if (e == null) {
                throw new SyscallException(Errno.ENOENT);
            }
        }
        remove(e);
    }

    private EpollEntry find(int fd, FileDescription file) {
        List<EpollEntry> l = entries.get(fd);
        if (l != null) {
            for (EpollEntry e : l) {
                if (e.file == file) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Takes an entry out for good: EPOLL_CTL_DEL, the file's last close, or this instance's. */
    void remove(EpollEntry e) {
        synchronized (this) {
            if (e.removed) {
                return;
            }
            e.removed = true;
            List<EpollEntry> l = entries.get(e.fd);
            if (l != null) {
                l.remove(e);
                if (l.isEmpty()) {
                    entries.remove(e.fd);
                }
            }
            if (e.onReadyList) {
                ready.remove(e);
                e.onReadyList = false;
            }
            if (e.timed) {
                timed.remove(e);
                e.timed = false;
            }
        }
        if (e.registeredOn != null) {
            e.registeredOn.unwatch(e);
        }
        e.file.removeCloseListener(e);
    }

    // ---- readiness bookkeeping --------------------------------------------------------------------

    /**
     * Looks at an entry's file after a change of interest (ctl ADD/MOD): queues it if ready and
     * records its deadline. Returns whether waiters should look again.
     */
    private boolean poll(EpollEntry e) {
        long before = e.deadline;
        track(e, clock.now());
        if (itemReadiness(e) != 0) {
            queueReady(e);
            return true;
        }
        return e.deadline < before;
    }

    /** The entry's events that its file reports now (ep_item_poll); 0 for a disarmed one-shot entry. */
    private static int itemReadiness(EpollEntry e) {
        int interest = e.events & ~PRIVATE_BITS;
        if (interest == 0) {
            return 0;
        }
        return e.file.readiness(interest) & interest;
    }

    private void queueReady(EpollEntry e) {
        if (!e.onReadyList) {
            e.onReadyList = true;
            ready.addLast(e);
        }
    }

    /** Records when the entry's file may next change readiness by itself. */
    private void track(EpollEntry e, long now) {
        long d = e.file.nextReadinessChangeNanos(now);
        e.deadline = d;
        if (d != Long.MAX_VALUE && !e.timed) {
            e.timed = true;
            timed.add(e);
        } else if (d == Long.MAX_VALUE && e.timed) {
            e.timed = false;
            timed.remove(e);
        }
    }

    /** Entries whose deadline passed are treated as woken (a timer expired). */
    private void expireDeadlines(long now) {
        if (timed.isEmpty()) {
            return;
        }
        for (EpollEntry e : timed.toArray(new EpollEntry[0])) {
            if (e.deadline <= now) {
                track(e, now);
                if ((e.events & ~PRIVATE_BITS) != 0) {
                    queueReady(e);
                }
            }
        }
    }

    private long earliestDeadline() {
        long min = Long.MAX_VALUE;
        for (EpollEntry e : timed) {
            min = Math.min(min, e.deadline);
        }
        return min;
    }

    /** ep_poll_callback: an entry's file was woken with {@code key}. */
    void entryWoken(EpollEntry e, int key) {
        boolean wake = false;
        synchronized (this) {
            if (e.removed) {
                return;
            }
            long before = e.deadline;
            track(e, clock.now());
            if (e.deadline < before) {
                wake = true;
            }
            int interest = e.events & ~PRIVATE_BITS;
            if (interest != 0 && (key == PollEvents.ANY || (key & interest) != 0)) {
                queueReady(e);
                wake = true;
            }
        }
        if (wake) {
            queue.wakeAll(PollEvents.POLLIN);
        }
    }

    /**
     * After a restore, entries are registered on the queues that were checkpointed with them; a file
     * whose queue is host state has a new one, on which the entry registers now, queued as possibly
     * ready since a wake-up may have been missed in between.
     */
    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        for (List<EpollEntry> l : entries.values()) {
            for (EpollEntry e : l) {
                WaitQueue q = e.file.readinessQueue();
                if (q != null && q == e.registeredOn && q.watches(e)) {
                    continue;
                }
                if (q != null) {
                    q.watch(e);
                }
                e.registeredOn = q;
                if ((e.events & ~PRIVATE_BITS) != 0) {
                    queueReady(e);
                }
            }
        }
    }

    // ---- epoll_wait -------------------------------------------------------------------------------

    /**
     * One look at the ready list (ep_send_events): writes up to {@code max} events at {@code addr}
     * and returns their count. A fault on the first event is EFAULT; a fault later ends the batch.
     */
    public synchronized int harvest(Task t, long addr, int max) {
        verify();
        expireDeadlines(clock.now());
        int n = 0;
        List<EpollEntry> delivered = new ArrayList<>();
        byte[] ev = new byte[EVENT_SIZE];
        ByteBuffer b = ByteBuffer.wrap(ev).order(ByteOrder.LITTLE_ENDIAN);
        while (n < max && !ready.isEmpty()) {
            EpollEntry e = ready.pollFirst();
            e.onReadyList = false;
            int r = itemReadiness(e);
            if (r == 0) {
                continue;
            }
            b.putInt(0, r).putLong(4, e.data);
            try {
                t.mm().copyOut(addr + (long) n * EVENT_SIZE, ev, 0, EVENT_SIZE);
            } catch (SyscallException fault) {
                e.onReadyList = true;
                ready.addFirst(e);
                if (n == 0) {
                    throw fault;
                }
                break;
            }
            n++;
            if ((e.events & EPOLLONESHOT) != 0) {
                e.events &= PRIVATE_BITS;
            }
            delivered.add(e);
        }
        for (EpollEntry e : delivered) {
            // Level-triggered entries go back: the next epoll_wait looks at them again.
            if ((e.events & EPOLLET) == 0) {
                queueReady(e);
            }
        }
        return n;
    }

    /** The earliest time an entry's readiness may change by itself (what epoll_wait sleeps until at most). */
    public synchronized long nextDeadline() {
        return earliestDeadline();
    }

    public WaitQueue queue() {
        return queue;
    }

    // ---- the instance as a file (poll on an epoll fd, nested epoll) --------------------------------

    /** Readable when an entry on the ready list is really ready (ep_eventpoll_poll). */
    @Override
    public int readiness(int mask) {
        synchronized (this) {
            verify();
            expireDeadlines(clock.now());
            while (!ready.isEmpty()) {
                EpollEntry e = ready.peekFirst();
                if (itemReadiness(e) != 0) {
                    return PollEvents.POLLIN | PollEvents.POLLRDNORM;
                }
                ready.pollFirst();
                e.onReadyList = false;
            }
            return 0;
        }
    }

    @Override
    public WaitQueue readinessQueue() {
        return queue;
    }

    @Override
    public long nextReadinessChangeNanos(long now) {
        return nextDeadline();
    }

    /** The instance's last close: every entry goes (ep_clear_and_put), and whoever watches it looks again. */
    @Override
    public void release() {
        List<EpollEntry> all = new ArrayList<>();
        synchronized (this) {
            for (List<EpollEntry> l : entries.values()) {
                all.addAll(l);
            }
        }
        for (EpollEntry e : all) {
            remove(e);
        }
        queue.wakeAll();
    }

    /** /proc/PID/fdinfo lines: one per entry (ep_show_fdinfo). */
    @Override
    public String fdinfo(Task t) {
        List<EpollEntry> all = new ArrayList<>();
        synchronized (this) {
            for (List<EpollEntry> l : entries.values()) {
                all.addAll(l);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (EpollEntry e : all) {
            long pos = e.file instanceof InodeFileDescription i ? i.offset() : 0;
            long ino = 0, dev = 0;
            try {
                ByteBuffer st = ByteBuffer.wrap(e.file.stat(t)).order(ByteOrder.LITTLE_ENDIAN);
                long d = st.getLong(0);
                // The kernel's own dev_t encoding (MAJOR << 20 | MINOR), as Linux prints s_dev.
                long major = ((d >>> 8) & 0xfff) | ((d >>> 32) & ~0xfffL);
                long minor = (d & 0xff) | ((d >>> 12) & ~0xffL);
                dev = major << 20 | minor;
                ino = st.getLong(8);
            } catch (SyscallException ignored) {
                // a host file that vanished: zeros, as for a file without an inode
            }
            sb.append(String.format("tfd: %8d events: %8x data: %16x  pos:%d ino:%x sdev:%x\n", e.fd, e.events,
                    e.data, pos, ino, dev));
        }
        return sb.toString();
    }

    // ---- nesting ----------------------------------------------------------------------------------

    /**
     * ep_loop_check: adding {@code inner} to this instance must not close a loop, nor make a chain of
     * more than {@link #MAX_NESTS} instances counting those above this one.
     */
    private void checkLoop(EpollFile inner) {
        int down = depthBelow(inner, 0);
        if (down > MAX_NESTS || down + 1 + depthAbove(this, 0) > MAX_NESTS) {
            throw new SyscallException(Errno.ELOOP);
        }
    }

    /** How deep the instances nested in {@code ep} go, or more than MAX_NESTS if one of them is this one. */
    private int depthBelow(EpollFile ep, int depth) {
        if (ep == this || depth > MAX_NESTS) {
            return Integer.MAX_VALUE / 2;
        }
        List<EpollFile> nested = new ArrayList<>();
        synchronized (ep) {
            for (List<EpollEntry> l : ep.entries.values()) {
                for (EpollEntry e : l) {
                    if (e.file instanceof EpollFile x) {
                        nested.add(x);
                    }
                }
            }
        }
        int result = 0;
        for (EpollFile x : nested) {
            result = Math.max(result, depthBelow(x, depth + 1) + 1);
            if (result > MAX_NESTS) {
                break;
            }
        }
        return result;
    }

    /** How many instances sit above {@code ep} (instances watching it, and so on). */
    private static int depthAbove(EpollFile ep, int depth) {
        if (depth > MAX_NESTS) {
            return Integer.MAX_VALUE / 2;
        }
        int result = 0;
        for (FileDescription.CloseListener l : ep.closeListeners()) {
            if (l instanceof EpollEntry e) {
                result = Math.max(result, depthAbove(e.owner, depth + 1) + 1);
            }
        }
        return result;
    }
}
