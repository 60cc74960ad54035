package dev.jvisor.gofer;

import java.util.ArrayList;
import java.util.List;

/**
 * A server-side handle: the export and the list of validated path components below its root
 * (never a host Path, so every use re-validates; see {@link HostPaths}). Renames and unlinks made
 * through this connection update or detach it, so a fid follows its file like a host fd would.
 */
final class Fid {
    final int id;
    final ExportRoot export;
    /** Immutable; replaced when a rename moves this file or an ancestor. */
    List<String> path;
    /** Set once the file was unlinked or replaced through this connection: no path ops any more. */
    boolean detached;
    /** The attributes at the moment of detaching, reported by STAT from then on. */
    Attr lastAttr;
    /** Null until OPEN or CREATE. */
    OpenFile open;

    Fid(int id, ExportRoot export, List<String> path) {
        this.id = id;
        this.export = export;
        this.path = List.copyOf(path);
    }

    /** The components of a child of this fid's file. */
    List<String> child(String name) {
        List<String> c = new ArrayList<>(path.size() + 1);
        c.addAll(path);
        c.add(name);
        return c;
    }

    /** Whether this fid's path is {@code prefix} or lies below it. */
    boolean isAtOrBelow(ExportRoot e, List<String> prefix) {
        return export == e && path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
