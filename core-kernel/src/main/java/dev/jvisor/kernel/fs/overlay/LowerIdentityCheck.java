package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Before a restored sandbox runs: every lower-layer file the app still depends on (open, or mapped
 * and not yet copied) must be the file it was at checkpoint time — same inode, size and mtime.
 */
public final class LowerIdentityCheck {
    private LowerIdentityCheck() {}

    /** One line per file that changed or disappeared; empty if the restore may go on. */
    public static Set<String> problems(Kernel k, LowerFs lower) {
        Set<String> out = new LinkedHashSet<>();
        for (Task t : k.tasks()) {
            for (FileDescription f : t.fds().snapshot().values()) {
                Location l = f.location();
                if (l != null) {
                    check(l.inode(), lower, out);
                }
            }
            for (Vma v : t.mm().vmas()) {
                if (v.file != null) {
                    check(v.file, lower, out);
                }
            }
        }
        return out;
    }

    private static void check(Inode i, LowerFs lower, Set<String> out) {
        if (i instanceof OverlayFile f) {
            LowerFs.LowerAttr now = lower.stat(f.lowerPath());
            if (!f.lowerUnchanged(now)) {
                out.add("/" + f.lowerPath() + (now == null ? " is missing" : " changed") + " since the checkpoint");
            }
        }
    }
}
