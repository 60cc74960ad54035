package dev.jvisor.cli;

import dev.jvisor.gofer.Export;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.fs.gofer.GoferFs;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.MountNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bind mounts of a new sandbox: each gets an export of its own on the sandbox's one gofer
 * ("bind0", "bind1"... beside the root's), and is mounted, once the mount tree exists, at its
 * destination (made if missing) as a {@link GoferFs}.
 */
final class BindMountSetup {
    private final List<BindMount> binds;
    private Kernel kernel;
    private GoferClient client;
    private Consumer<String> log;

    BindMountSetup(List<BindMount> binds) {
        this.binds = List.copyOf(binds);
    }

    List<BindMount> binds() {
        return binds;
    }

    private static String exportName(int i) {
        return "bind" + i;
    }

    /** The gofer exports these mounts need, in order. */
    List<Export> exports() {
        List<Export> out = new ArrayList<>();
        for (int i = 0; i < binds.size(); i++) {
            BindMount b = binds.get(i);
            out.add(new Export(exportName(i), b.source().toAbsolutePath(), b.readOnly()));
        }
        return out;
    }

    /** Where the mounts will come from: the kernel being built and its gofer. */
    void connect(Kernel k, GoferClient c, Consumer<String> goferLog) {
        this.kernel = k;
        this.client = c;
        this.log = goferLog;
    }

    /** Mounts {@code b} (one of {@link #binds}) on its destination in {@code ns}. */
    void mount(MountNamespace ns, BindMount b) {
        int i = binds.indexOf(b);
        if (i < 0 || kernel == null) {
            throw new IllegalStateException("bind mount " + b + " was not planned");
        }
        GoferFs fs = new GoferFs(kernel.allocateDev(), exportName(i), b.source().toAbsolutePath().toString(),
                b.readOnly(), b.destination(), client, log);
        Location at = MountPoints.ensure(ns, b.destination(), fs.root().isDir());
        ns.mount(at, fs, b.readOnly(), "none");
    }

    /** Mounts every bind mount, in order (`jvisor do`). */
    void mountAll(MountNamespace ns) {
        for (BindMount b : binds) {
            mount(ns, b);
        }
    }
}
