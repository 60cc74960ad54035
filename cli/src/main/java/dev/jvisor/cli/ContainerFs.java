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
 * sysfs and bind mounts stay in the {@link MountPlan} until the gofer exists.
 */
final class ContainerFs {
    private ContainerFs() {}

    static MountNamespace build(Kernel k, LowerFs rootfs, boolean readOnly, MountPlan plan) {
        OverlayFs root = new OverlayFs(k.allocateDev(), k.memory(), rootfs);
        MountNamespace ns = new MountNamespace(root, readOnly, "rootfs");
        // /dev first: config.json usually lists /dev/shm and friends after it, but order must not matter.
        mountAt(ns, "/dev", new DevFs(k.allocateDev(), k.memory()), false, "devtmpfs");
        for (MountPlan.Entry e : plan.entries()) {
            if (e.kind() == MountPlan.Kind.TMPFS) {
                mountAt(ns, e.destination(), new MemFs(k.allocateDev(), k.memory(), "tmpfs", e.mode()), e.readOnly(), "tmpfs");
            } else if (e.kind() == MountPlan.Kind.PROC) {
                mountAt(ns, e.destination(), RootFs.procFs(k), e.readOnly(), "proc");
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
