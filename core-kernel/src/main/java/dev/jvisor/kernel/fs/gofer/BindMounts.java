package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Mount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bind mounts of a kernel as checkpoint and restore see them: before a checkpoint, every host
 * file the app depends on (open, or mapped and maybe not yet copied) records its identity; after a
 * restore, once each mount is attached to the new gofer, those identities are checked before any app
 * code runs.
 */
public final class BindMounts {
    private BindMounts() {}

    /** Every gofer-backed file system mounted in {@code k}, in mount order. */
    public static List<GoferFs> of(Kernel k) {
        List<GoferFs> out = new ArrayList<>();
        if (k.mounts() == null) {
            return out;
        }
        for (Mount m : k.mounts().mounts()) {
            if (m.fs instanceof GoferFs g && !out.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    /** The bind-mounted files the app holds: open descriptions and file mappings. */
    private static Set<GoferFile> held(Kernel k) {
        Set<GoferFile> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Task t : k.tasks()) {
            for (FileDescription f : t.fds().snapshot().values()) {
                if (f instanceof GoferFileDescription g) {
                    out.add(g.file());
                }
            }
            for (Vma v : t.mm().vmas()) {
                if (v.file instanceof GoferFile g) {
                    out.add(g);
                }
            }
        }
        return out;
    }

    /** At checkpoint, with every task stopped: records the host identity of each file the app holds. */
    public static void recordIdentities(Kernel k) {
        for (GoferFile f : held(k)) {
            if (f.gofer().attached()) {
                f.recordIdentity();
            }
        }
    }

    /**
     * A bind-mounted host file the app held at the last checkpoint, as the snapshot manifest records
     * it: its path in the sandbox, its host path, and its identity then.
     */
    public record HeldFile(String sandboxPath, String hostPath, long ino, long size, long mtimeNs) {}

    /** The identities {@link #recordIdentities} recorded (files deleted while held are left out). */
    public static List<HeldFile> heldFiles(Kernel k) {
        List<HeldFile> out = new ArrayList<>();
        for (GoferFile f : held(k)) {
            HeldFile h = f.heldFile();
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * After a restore, with every bind mount attached: one line per held file that is not the file it
     * was at checkpoint time (changed, missing, or deleted while open); empty if the restore may go on.
     */
    public static Set<String> problems(Kernel k) {
        Set<String> out = new LinkedHashSet<>();
        for (GoferFile f : held(k)) {
            String p = f.identityProblem();
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
