package dev.jvisor.cli;

import dev.jvisor.cli.oci.MountPlan;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.dev.DevFs;
import dev.jvisor.kernel.fs.overlay.LowerFs;
import dev.jvisor.kernel.fs.overlay.OverlayFs;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.Mount;
import dev.jvisor.kernel.vfs.MountNamespace;

/**
 * A container's mount tree: the bundle's rootfs (served by the gofer; read-only if root.readonly)
 * under an in-memory overlay, gVisor's own /dev, and config.json's tmpfs mounts. Mount points must exist in the rootfs
 * (creating them needs a task-less mkdir in the kernel); procfs is mounted where config.json says;
 * bind mounts are served by the sandbox's gofer, their mount points made if missing (as runsc does);
 * sysfs stays in the {@link MountPlan}.
 */
final class ContainerFs {
    private ContainerFs() {}

    /**
     * The plan's bind mounts, checked: a missing or relative source, or a destination that is not
     * absolute, is refused with one line naming the mount.
     */
    static java.util.List<BindMount> bindMounts(MountPlan plan) {
        java.util.List<BindMount> out = new java.util.ArrayList<>();
        for (MountPlan.Entry e : plan.entries()) {
            if (e.kind() == MountPlan.Kind.BIND) {
                BindMount b = bindOf(e);
                try {
                    b.check("bind mount on " + e.destination());
                } catch (IllegalArgumentException x) {
                    throw new dev.jvisor.cli.oci.BundleException(x.getMessage());
                }
                out.add(b);
            }
        }
        return out;
    }

    private static BindMount bindOf(MountPlan.Entry e) {
        return new BindMount(e.hostSource() == null ? java.nio.file.Path.of("") : e.hostSource(), e.destination(),
                e.readOnly());
    }

    static MountNamespace build(Kernel k, LowerFs rootfs, boolean readOnly, MountPlan plan, BindMountSetup binds) {
        OverlayFs root = new OverlayFs(k.allocateDev(), k.memory(), rootfs);
        MountNamespace ns = new MountNamespace(root, readOnly, "rootfs");
        // /dev first: config.json usually lists /dev/shm and friends after it, but order must not matter.
        mountAt(ns, "/dev", new DevFs(k.allocateDev(), k.memory()), false, "devtmpfs");
        for (MountPlan.Entry e : plan.entries()) {
            if (e.kind() == MountPlan.Kind.TMPFS) {
                mountAt(ns, e.destination(), new MemFs(k.allocateDev(), k.memory(), "tmpfs", e.mode()), e.readOnly(), "tmpfs");
            } else if (e.kind() == MountPlan.Kind.PROC) {
                mountAt(ns, e.destination(), RootFs.procFs(k), e.readOnly(), "proc");
            } else if (e.kind() == MountPlan.Kind.BIND) {
                binds.mount(ns, bindOf(e));
            }
        }
        return ns;
    }

    /** Mounts {@code fs} on directory {@code path} if it exists (no task exists yet: direct lookups). */
    private static boolean mountAt(MountNamespace ns, String path, FileSystem fs, boolean readOnly, String source) {
        Location at = ns.rootLocation();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            Dentry d = part.equals("..") ? null : at.dentry.child((Task) null, part);
            if (d == null || !d.inode().isDir()) {
                return false;
            }
            Mount over = ns.mountedOn(d);
            at = over != null ? new Location(over, over.root) : new Location(at.mount, d);
        }
        ns.mount(at, fs, readOnly, source);
        return true;
    }
}
