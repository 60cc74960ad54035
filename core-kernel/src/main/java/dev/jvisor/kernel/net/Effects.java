package dev.jvisor.kernel.net;

import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operation done under the stack's lock asks to happen once the lock is dropped: waking the
 * tasks blocked on a socket (WaitQueue's discipline forbids waking while holding the lock a waiter
 * checks its condition under) and dropping references to descriptions that were in flight (releasing
 * one may close another socket, which takes the lock itself). Lives on one Java stack, never in the graph.
 */
final class Effects {
    private List<SocketFile> wake;
    private List<FileDescription> drop;

    void wake(SocketFile s) {
        if (s == null) {
            return;
        }
        if (wake == null) {
            wake = new ArrayList<>(2);
        }
        if (!wake.contains(s)) {
            wake.add(s);
        }
    }

    void drop(FileDescription[] fs) {
        if (fs == null) {
            return;
        }
        if (drop == null) {
            drop = new ArrayList<>();
        }
        for (FileDescription f : fs) {
            drop.add(f);
        }
    }

    /** Does the deferred work; call without holding the stack's lock. */
    void run() {
        if (wake != null) {
            for (SocketFile s : wake) {
                s.wakeWaiters();
            }
            wake = null;
        }
        if (drop != null) {
            List<FileDescription> d = drop;
            drop = null;
            for (FileDescription f : d) {
                FdTable.unref(f);
            }
        }
    }
}
