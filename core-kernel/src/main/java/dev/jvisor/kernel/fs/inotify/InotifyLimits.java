package dev.jvisor.kernel.fs.inotify;

import java.util.HashMap;

/**
 * inotify's limits and what each user holds against them (Linux's ucounts): instances per user
 * (max_user_instances, EMFILE beyond), watches per user (max_user_watches, ENOSPC beyond), and the
 * queue length of a new instance (max_queued_events). One per sandbox, in the kernel graph; the
 * values are those /proc/sys/fs/inotify shows.
 */
public final class InotifyLimits {
    public static final int MAX_QUEUED_EVENTS = 16384;
    public static final int MAX_USER_INSTANCES = 128;
    /** Linux's bounds for the default of max_user_watches, which grows with memory. */
    private static final int MIN_WATCHES = 8192, MAX_WATCHES = 1048576;
    /** What Linux charges a watch when it sizes the default (INOTIFY_WATCH_COST, about 1 KiB on x86-64). */
    private static final long WATCH_COST = 1024;

    private final int maxUserWatches;
    /** Per uid: {instances, watches}. */
    private final HashMap<Integer, int[]> users = new HashMap<>();

    /** {@code memoryBytes}: the sandbox's memory, of which Linux lets 1% go to watches by default. */
    public InotifyLimits(long memoryBytes) {
        long w = memoryBytes / 100 / WATCH_COST;
        this.maxUserWatches = (int) Math.max(MIN_WATCHES, Math.min(MAX_WATCHES, w));
    }

    public int maxUserWatches() {
        return maxUserWatches;
    }

    private int[] of(int uid) {
        return users.computeIfAbsent(uid, u -> new int[2]);
    }

    /** Charges a new instance to {@code uid}; false if it has max_user_instances already. */
    public synchronized boolean addInstance(int uid) {
        int[] u = of(uid);
        if (u[0] >= MAX_USER_INSTANCES) {
            return false;
        }
        u[0]++;
        return true;
    }

    public synchronized void removeInstance(int uid) {
        int[] u = of(uid);
        u[0] = Math.max(0, u[0] - 1);
        forgetIfIdle(uid, u);
    }

    /** Charges a new watch to {@code uid}; false if it has max_user_watches already. */
    public synchronized boolean addWatch(int uid) {
        int[] u = of(uid);
        if (u[1] >= maxUserWatches) {
            return false;
        }
        u[1]++;
        return true;
    }

    public synchronized void removeWatch(int uid) {
        int[] u = of(uid);
        u[1] = Math.max(0, u[1] - 1);
        forgetIfIdle(uid, u);
    }

    private void forgetIfIdle(int uid, int[] u) {
        if (u[0] == 0 && u[1] == 0) {
            users.remove(uid);
        }
    }
}
