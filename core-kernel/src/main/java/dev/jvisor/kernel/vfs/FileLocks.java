package dev.jvisor.kernel.vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Advisory locks of one inode: flock(2) locks and record locks (fcntl F_SETLK: POSIX locks owned by
 * a process, OFD locks owned by an open file description). Locks of different owners conflict as
 * on Linux; locks of one owner replace each other. Plain data, so held locks survive a checkpoint.
 */
public final class FileLocks {
    public static final int RDLCK = 0, WRLCK = 1, UNLCK = 2;
    public static final int FLOCK_SH = 1, FLOCK_EX = 2;

    /** A locked byte range [start, end) of one owner; end is Long.MAX_VALUE for "to end of file". */
    public static final class Range {
        final Object owner;
        final int pid;
        final int type;
        final long start;
        final long end;

        Range(Object owner, int pid, int type, long start, long end) {
            this.owner = owner;
            this.pid = pid;
            this.type = type;
            this.start = start;
            this.end = end;
        }

        public int type() {
            return type;
        }

        public long start() {
            return start;
        }

        /** l_len as fcntl reports it: 0 for "to end of file". */
        public long length() {
            return end == Long.MAX_VALUE ? 0 : end - start;
        }

        /** l_pid: the owning process, or -1 for an OFD lock. */
        public int pid() {
            return pid;
        }
    }

    private final Map<Object, Integer> flocks = new HashMap<>();
    private final List<Range> ranges = new ArrayList<>();

    /** Takes (or converts) a flock lock; false if another description holds a conflicting one. */
    public synchronized boolean tryFlock(Object owner, int type) {
        for (Map.Entry<Object, Integer> e : flocks.entrySet()) {
            if (e.getKey() != owner && (type == FLOCK_EX || e.getValue() == FLOCK_EX)) {
                return false;
            }
        }
        flocks.put(owner, type);
        return true;
    }

    public synchronized void unflock(Object owner) {
        flocks.remove(owner);
    }

    /** The first lock of another owner that conflicts with {@code type} on [start, end), or null. */
    public synchronized Range conflict(Object owner, int type, long start, long end) {
        for (Range r : ranges) {
            if (!Objects.equals(r.owner, owner) && r.start < end && start < r.end && (type == WRLCK || r.type == WRLCK)) {
                return r;
            }
        }
        return null;
    }

    /** Sets the owner's lock on [start, end) to {@code type} (UNLCK removes it), splitting its old ranges. */
    public synchronized void set(Object owner, int pid, int type, long start, long end) {
        List<Range> kept = new ArrayList<>();
        for (Range r : ranges) {
            if (!Objects.equals(r.owner, owner) || r.end <= start || end <= r.start) {
                kept.add(r);
                continue;
            }
            if (r.start < start) {
                kept.add(new Range(r.owner, r.pid, r.type, r.start, start));
            }
            if (end < r.end) {
                kept.add(new Range(r.owner, r.pid, r.type, end, r.end));
            }
        }
        if (type != UNLCK) {
            kept.add(new Range(owner, pid, type, start, end));
        }
        ranges.clear();
        ranges.addAll(kept);
    }

    /** Drops every lock of an owner (a closed description, or a process closing any fd of the file). */
    public synchronized void release(Object owner) {
        flocks.remove(owner);
        ranges.removeIf(r -> Objects.equals(r.owner, owner));
    }
}
