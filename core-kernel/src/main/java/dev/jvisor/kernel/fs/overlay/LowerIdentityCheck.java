package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
        for (OverlayFile f : held(k)) {
            LowerFs.LowerAttr now = lower.stat(f.lowerPath());
            if (!f.lowerUnchanged(now)) {
                out.add("/" + f.lowerPath() + (now == null ? " is missing" : " changed") + " since the checkpoint");
            }
        }
        return out;
    }

    /** The lower files the app depends on now, as they were first seen (for the snapshot manifest). */
    public static List<LowerIdentity> identities(Kernel k) {
        List<LowerIdentity> out = new ArrayList<>();
        for (OverlayFile f : held(k)) {
            LowerIdentity id = f.lowerIdentity();
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    /** Whether some task holds a lower file open or mapped: then {@link #problems} reads the lower layer. */
    public static boolean holdsAny(Kernel k) {
        return !held(k).isEmpty();
    }

    /** Overlay files held open or mapped by some task, each once. */
    private static Set<OverlayFile> held(Kernel k) {
        Set<OverlayFile> out = new LinkedHashSet<>();
        for (Task t : k.tasks()) {
            for (FileDescription f : t.fds().snapshot().values()) {
                Location l = f.location();
                if (l != null && l.inode() instanceof OverlayFile o) {
                    out.add(o);
                }
            }
            for (Vma v : t.mm().vmas()) {
                if (v.file instanceof OverlayFile o) {
                    out.add(o);
                }
            }
        }
        return out;
    }
}
