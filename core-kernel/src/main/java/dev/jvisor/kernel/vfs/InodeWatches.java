package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Kernel;
import java.util.ArrayList;

/**
 * The watches on one inode, and the kernel they live in (so a last close, which has no task at
 * hand, can still look for the inode's other users). Plain data: watches survive a checkpoint.
 */
public final class InodeWatches {
    private final ArrayList<InodeWatch> list = new ArrayList<>(1);
    private Kernel kernel;

    public synchronized void add(Kernel k, InodeWatch w) {
        kernel = k;
        list.add(w);
    }

    public synchronized void remove(InodeWatch w) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i) == w) {
                list.remove(i);
                return;
            }
        }
    }

    /** The current watches, to deliver an event to without holding this list's lock. */
    public synchronized InodeWatch[] snapshot() {
        return list.isEmpty() ? NONE : list.toArray(NONE);
    }

    public synchronized boolean isEmpty() {
        return list.isEmpty();
    }

    public synchronized Kernel kernel() {
        return kernel;
    }

    private static final InodeWatch[] NONE = new InodeWatch[0];
}
