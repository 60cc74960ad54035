package dev.jvisor.cli;

import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.dev.DevFs;
import dev.jvisor.kernel.fs.overlay.LowerFs;
import dev.jvisor.kernel.fs.overlay.OverlayFs;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MountNamespace;

/**
 * The sandbox's mount tree for `jvisor do`, like runsc's default: the host root read-only under an
 * in-memory overlay (the host's /tmp stays visible; writes stay in the sandbox), with devfs at /dev,
 * tmpfs at /dev/shm and procfs at /proc.
 */
final class RootFs {
    private RootFs() {}

    static MountNamespace build(Kernel k, LowerFs lower) {
        OverlayFs root = new OverlayFs(k.allocateDev(), k.memory(), lower);
        MountNamespace ns = new MountNamespace(root, false, "overlay");
        Location dev = mountOn(ns, "dev", new DevFs(k.allocateDev(), k.memory()), "devtmpfs");
        mountOn(ns, dev, "shm", new MemFs(k.allocateDev(), k.memory(), "tmpfs", 01777), "tmpfs");
        // No tmpfs on /tmp: programs in the host's /tmp must run, and the overlay already keeps the
        // host unchanged. Containers get /tmp from their config.json mounts.
        mountOn(ns, "proc", procFs(k), "proc");
        return ns;
    }

    /** A procfs describing this host's CPU (read now: the Sentry reads no host files later). */
    static dev.jvisor.kernel.fs.proc.ProcFs procFs(Kernel k) {
        return new dev.jvisor.kernel.fs.proc.ProcFs(k.allocateDev(),
                dev.jvisor.kernel.fs.proc.CpuIdentity.of(new dev.jvisor.platform.cpu.HostCpuid()));
    }

    /**
     * After a restore: gives every overlay a fresh connection to its lower layer, and refuses to go
     * on if a lower file the app depends on is not the one it had at checkpoint time.
     */
    static void attachLower(Kernel k, LowerFs lower) {
        for (dev.jvisor.kernel.vfs.Mount m : k.mounts().mounts()) {
            if (m.fs instanceof OverlayFs o) {
                o.attachLower(lower);
            }
        }
        java.util.Set<String> problems = dev.jvisor.kernel.fs.overlay.LowerIdentityCheck.problems(k, lower);
        if (!problems.isEmpty()) {
            throw new dev.jvisor.kernel.SandboxFailure("cannot restore: " + String.join("; ", problems));
        }
    }

    private static Location mountOn(MountNamespace ns, String name, dev.jvisor.kernel.vfs.FileSystem fs, String src) {
        return mountOn(ns, ns.rootLocation(), name, fs, src);
    }

    /** Mounts on {@code parent}/{@code name}, which must exist (no task exists yet: direct lookup). */
    private static Location mountOn(MountNamespace ns, Location parent, String name,
            dev.jvisor.kernel.vfs.FileSystem fs, String src) {
        Dentry d = parent.dentry.child((Task) null, name);
        if (d == null) {
            return null;
        }
        dev.jvisor.kernel.vfs.Mount m = ns.mount(new Location(parent.mount, d), fs, false, src);
        return new Location(m, m.root);
    }
}
