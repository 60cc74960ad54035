package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's file descriptor table: fd number to open file description, with close-on-exec bits.
 * Threads (and clone(CLONE_FILES) children) share one table, so its methods are synchronized; a
 * description shared by several tables (after fork) is released when the last fd anywhere closes.
 */
public final class FdTable {
    private final List<FileDescription> files = new ArrayList<>();
    private final List<Boolean> cloexec = new ArrayList<>();

    public synchronized FileDescription get(int fd) {
        if (fd < 0 || fd >= files.size() || files.get(fd) == null) {
            throw new SyscallException(Errno.EBADF);
        }
        return files.get(fd);
    }

    /** Installs at the lowest free fd at or above {@code min}. */
    public synchronized int install(FileDescription f, int min, boolean closeOnExec, long limit) {
        for (int fd = min; ; fd++) {
            if (fd >= limit) {
                throw new SyscallException(Errno.EMFILE);
            }
            if (fd >= files.size() || files.get(fd) == null) {
                set(fd, f, closeOnExec);
                return fd;
            }
        }
    }

    public void set(int fd, FileDescription f, boolean closeOnExec) {
        FileDescription old;
        synchronized (this) {
            while (files.size() <= fd) {
                files.add(null);
                cloexec.add(false);
            }
            old = files.get(fd);
            files.set(fd, f);
            cloexec.set(fd, closeOnExec);
            synchronized (f) {
                f.fdRefs++;
            }
        }
        if (old != null) {
            // dup2 onto an open fd closes it, with what a close does to record locks.
            drop(old);
        }
    }

    /** fork(2): a new table with the same fds, referring to the same open descriptions. */
    public synchronized FdTable copy() {
        FdTable c = new FdTable();
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) != null) {
                c.set(fd, files.get(fd), cloexec.get(fd));
            }
        }
        return c;
    }

    /** execve(2): closes every close-on-exec fd. */
    public void closeOnExec() {
        List<FileDescription> closed = new ArrayList<>();
        synchronized (this) {
            for (int fd = 0; fd < files.size(); fd++) {
                if (files.get(fd) != null && cloexec.get(fd)) {
                    closed.add(take(fd));
                }
            }
        }
        closed.forEach(this::drop);
    }

    public synchronized int highestFd() {
        return files.size() - 1;
    }

    public synchronized boolean isOpen(int fd) {
        return fd >= 0 && fd < files.size() && files.get(fd) != null;
    }

    /** Open descriptions with their fd numbers (procfs, checkpoint checks). */
    public synchronized java.util.Map<Integer, FileDescription> snapshot() {
        java.util.Map<Integer, FileDescription> m = new java.util.TreeMap<>();
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) != null) {
                m.put(fd, files.get(fd));
            }
        }
        return m;
    }

    public synchronized boolean closeOnExec(int fd) {
        get(fd);
        return cloexec.get(fd);
    }

    public synchronized void setCloseOnExec(int fd, boolean on) {
        get(fd);
        cloexec.set(fd, on);
    }

    /**
     * Closes an fd. What the close sets off (the description's release, inotify events and the
     * search for the inode's other users) runs after this table's lock is released.
     */
    public void close(int fd) {
        FileDescription f;
        synchronized (this) {
            f = take(fd);
        }
        drop(f);
    }

    /** Empties an fd slot (EBADF if it is empty); the caller drops the returned description. */
    private FileDescription take(int fd) {
        FileDescription f = get(fd);
        files.set(fd, null);
        cloexec.set(fd, false);
        return f;
    }

    /**
     * Closing any fd of a file drops every POSIX record lock this table's process holds on it (Linux's
     * locks_remove_posix in filp_close: the locks belong to the fd table, not to the description).
     */
    private void drop(FileDescription f) {
        Location l = f.location();
        FileLocks locks = l != null ? l.inode().existingLocks() : null;
        if (locks != null) {
            locks.release(this);
        }
        unref(f);
    }

    /**
     * Takes a reference to {@code f} that no fd holds: an SCM_RIGHTS message in flight, so a
     * descriptor passed over a socket and closed by its sender stays open for its receiver.
     */
    public static void hold(FileDescription f) {
        synchronized (f) {
            f.fdRefs++;
        }
    }

    /**
     * Drops one reference (a closed fd, a discarded in-flight message); the last one releases the
     * description's open-file-description locks and the description itself.
     */
    public static void unref(FileDescription f) {
        boolean last;
        synchronized (f) {
            last = --f.fdRefs <= 0;
        }
        if (last) {
            Location l = f.location();
            FileLocks locks = l != null ? l.inode().existingLocks() : null;
            if (locks != null) {
                locks.release(f);
            }
            f.lastClose();
        }
    }

    public void closeAll() {
        List<FileDescription> closed = new ArrayList<>();
        synchronized (this) {
            for (int fd = 0; fd < files.size(); fd++) {
                if (files.get(fd) != null) {
                    closed.add(take(fd));
                }
            }
        }
        closed.forEach(this::drop);
    }
}
