package dev.jvisor.cli.oci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of a container as the sandbox builds them, in config.json's order: the model the kernel's
 * mount setup consumes. Today the sandbox honours {@link Kind#DEV} and {@link Kind#TMPFS}; the other
 * kinds are recorded so the VFS and gofer can serve them when they land (proc, bind mounts).
 */
public record MountPlan(List<Entry> entries) {
    /** What kind of file system a mount needs. */
    public enum Kind { DEV, TMPFS, PROC, SYSFS, BIND, OTHER }

    /**
     * One mount: where (a sandbox path), what kind, the host source for bind mounts (absolute,
     * resolved against the bundle), read-only or not, the file mode for tmpfs, and the raw options.
     */
    public record Entry(String destination, Kind kind, String type, Path hostSource, boolean readOnly, int mode,
            List<String> options) {}

    static MountPlan of(Bundle b) {
        List<Entry> out = new ArrayList<>();
        List<OciSpec.Mount> mounts = b.spec().mounts();
        if (mounts != null) {
            for (OciSpec.Mount m : mounts) {
                out.add(entry(b.dir(), m));
            }
        }
        return new MountPlan(List.copyOf(out));
    }

    static void check(Path bundle, List<OciSpec.Mount> mounts) {
        if (mounts == null) {
            return;
        }
        for (OciSpec.Mount m : mounts) {
            if (m == null || m.destination() == null || !m.destination().startsWith("/")) {
                throw SpecLoader.bad(bundle, "mount destination "
                        + (m == null ? "null" : "\"" + m.destination() + "\"") + " is not an absolute path");
            }
            Entry e = entry(bundle, m);
            if (e.kind() == Kind.BIND && e.hostSource() == null) {
                throw SpecLoader.bad(bundle, "bind mount on " + m.destination() + " has no source");
            }
        }
    }

    private static Entry entry(Path bundle, OciSpec.Mount m) {
        List<String> opts = m.options() == null ? List.of() : List.copyOf(m.options());
        boolean bind = "bind".equals(m.type()) || opts.contains("bind") || opts.contains("rbind");
        Kind kind;
        if (m.destination().equals("/dev")) {
            // gVisor always serves its own /dev whatever config.json says it is (tmpfs usually).
            kind = Kind.DEV;
        } else if (bind) {
            kind = Kind.BIND;
        } else {
            kind = switch (m.type() == null ? "" : m.type()) {
                case "tmpfs" -> Kind.TMPFS;
                case "proc" -> Kind.PROC;
                case "sysfs" -> Kind.SYSFS;
                default -> Kind.OTHER;
            };
        }
        Path source = null;
        if (kind == Kind.BIND && m.source() != null && !m.source().isEmpty()) {
            source = bundle.resolve(m.source()).normalize();
        }
        return new Entry(m.destination(), kind, m.type(), source, opts.contains("ro"), tmpfsMode(opts), opts);
    }

    /** The tmpfs root mode from a "mode=1777" option (octal), else Linux's default 01777. */
    private static int tmpfsMode(List<String> opts) {
        for (String o : opts) {
            if (o.startsWith("mode=")) {
                try {
                    return Integer.parseInt(o.substring(5), 8);
                } catch (NumberFormatException e) {
                    return 01777;
                }
            }
        }
        return 01777;
    }
}
