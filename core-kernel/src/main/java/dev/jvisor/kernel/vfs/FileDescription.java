package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.util.ArrayList;

/**
 * An open file description: what an fd refers to, with its own offset and status flags. Operations
 * move data between the file and app memory; defaults give the errno Linux gives for an object that
 * does not support them.
 */
public abstract class FileDescription {
    /** O_* status flags (O_APPEND, O_NONBLOCK, access mode). */
    protected int flags;
    /** How many fds, in every fd table, refer to this description. Guarded by the tables. */
    int fdRefs;

    protected FileDescription(int flags) {
        this.flags = flags;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    /** Reads up to {@code len} bytes into app memory at {@code addr}; returns the count. */
    public long read(Task t, long addr, long len) {
        throw new SyscallException(Errno.EINVAL);
    }

    public long write(Task t, long addr, long len) {
        throw new SyscallException(Errno.EINVAL);
    }

    public long pread(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.ESPIPE);
    }

    public long pwrite(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.ESPIPE);
    }

    public long seek(Task t, long offset, int whence) {
        throw new SyscallException(Errno.ESPIPE);
    }

    /** Where in the file tree this was opened, or null (pipes, sockets, host stdio). */
    public Location location() {
        return null;
    }

    public long ioctl(Task t, long request, long arg) {
        throw new SyscallException(Errno.ENOTTY);
    }

    /** Fills {@code struct stat} (144 bytes, x86-64 layout). */
    public abstract byte[] stat(Task t);

    /** What /proc/self/fd and strace show for this file. */
    public abstract String describe();

    /** fsync(2): writes what the file holds to stable storage (nothing to do for files in memory). */
    public void fsync(Task t) {}

    /** Called when the last fd referring to this description is closed. */
    public void release() {}

    // ---- readiness (poll, select, epoll) --------------------------------------------------------

    /**
     * The POLL* bits ({@link PollEvents}) that describe this file now: what poll(2) would report
     * before filtering. {@code mask} is what the caller is interested in (the events plus POLLERR and
     * POLLHUP); an implementation may skip work for bits outside it, and callers filter the result.
     * The default is Linux's for a file without a poll operation: always readable and writable.
     */
    public int readiness(int mask) {
        return PollEvents.DEFAULT;
    }

    /**
     * The queue woken ({@link WaitQueue#wakeAll}) whenever this file's readiness may have changed,
     * or null when its readiness never changes, or changes only with time
     * ({@link #nextReadinessChangeNanos}).
     */
    public WaitQueue readinessQueue() {
        return null;
    }

    /**
     * The earliest sandbox-monotonic time (ns) at which this file's readiness may change by itself,
     * with nobody waking its queue (a timer expiring, host stdio worth polling again), given the
     * sandbox time {@code now}; {@code Long.MAX_VALUE} if never.
     */
    public long nextReadinessChangeNanos(long now) {
        return Long.MAX_VALUE;
    }

    /**
     * Whether the file has a poll operation of its own (Linux's file_can_poll): epoll_ctl refuses
     * the others with EPERM (regular files, directories, /dev/null), while poll and select report
     * them always ready.
     */
    public boolean pollable() {
        return true;
    }

    /** Extra lines of /proc/PID/fdinfo/N for this kind of file (eventfd-count, tfd, clockid...). */
    public String fdinfo(Task t) {
        return "";
    }

    // ---- last close -----------------------------------------------------------------------------

    /** Told when the last fd referring to a description is closed (epoll entries: eventpoll_release). */
    public interface CloseListener {
        void descriptionClosed(FileDescription f);
    }

    /** Who is told of the last close; null while nobody (epoll entries watching this file). */
    private ArrayList<CloseListener> closeListeners;

    public synchronized void addCloseListener(CloseListener l) {
        if (closeListeners == null) {
            closeListeners = new ArrayList<>(1);
        }
        closeListeners.add(l);
    }

    public synchronized void removeCloseListener(CloseListener l) {
        if (closeListeners != null) {
            for (int i = closeListeners.size() - 1; i >= 0; i--) {
                if (closeListeners.get(i) == l) {
                    closeListeners.remove(i);
                    break;
                }
            }
            if (closeListeners.isEmpty()) {
                closeListeners = null;
            }
        }
    }

    /** The current close listeners (epoll walks them to find the epoll sets that watch this file). */
    public synchronized CloseListener[] closeListeners() {
        return closeListeners == null ? new CloseListener[0] : closeListeners.toArray(new CloseListener[0]);
    }

    /**
     * The last fd referring to this description was closed (what FdTable calls, like Linux's
     * __fput): the close listeners are told first, so epoll entries go away, then {@link #release}.
     */
    public final void lastClose() {
        Fsnotify.close(this);
        for (CloseListener l : closeListeners()) {
            l.descriptionClosed(this);
        }
        release();
    }
}
