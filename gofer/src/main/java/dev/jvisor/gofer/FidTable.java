package dev.jvisor.gofer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fids of one connection. The server allocates the numbers, so a client cannot make two fids
 * collide; the table is capped so that a client cannot exhaust the gofer's memory or host fds.
 */
final class FidTable {
    static final int MAX_FIDS = 1 << 17;

    private final Map<Integer, Fid> fids = new HashMap<>();
    private int next = 1;

    Fid get(int id) throws GoferException {
        Fid f = fids.get(id);
        if (f == null) {
            throw new GoferException(Errno.EBADF, "unknown fid " + Integer.toUnsignedString(id));
        }
        return f;
    }

    Fid add(ExportRoot export, List<String> path) throws GoferException {
        if (fids.size() >= MAX_FIDS) {
            throw new GoferException(Errno.EMFILE, "too many fids (" + MAX_FIDS + ")");
        }
        while (fids.containsKey(next)) {
            advance();
        }
        Fid f = new Fid(next, export, path);
        fids.put(f.id, f);
        advance();
        return f;
    }

    /** Forgets a fid and closes what it holds open. */
    void remove(int id) throws IOException {
        Fid f = get(id);
        fids.remove(id);
        if (f.open != null) {
            f.open.close();
        }
    }

    /** After a rename: fids at or below {@code from} now live at {@code to}. */
    void moved(ExportRoot export, List<String> from, List<String> to) {
        for (Fid f : fids.values()) {
            if (!f.detached && f.isAtOrBelow(export, from)) {
                List<String> p = new ArrayList<>(to);
                p.addAll(f.path.subList(from.size(), f.path.size()));
                f.path = List.copyOf(p);
            }
        }
    }

    /**
     * After an unlink or a rename over an existing name: fids at or below {@code path} name a file
     * that no longer has that name, so they must not act on whatever is created there next.
     */
    void detach(ExportRoot export, List<String> path, Attr last) {
        for (Fid f : fids.values()) {
            if (!f.detached && f.isAtOrBelow(export, path)) {
                f.detached = true;
                f.lastAttr = f.path.size() == path.size() ? last : null;
            }
        }
    }

    /** Closes everything; the connection is over. */
    void closeAll() {
        for (Fid f : fids.values()) {
            if (f.open != null) {
                try {
                    f.open.close();
                } catch (IOException ignored) {
                    // Nothing to report to: the connection is gone.
                }
            }
        }
        fids.clear();
    }

    int size() {
        return fids.size();
    }

    private void advance() {
        next = next == Integer.MAX_VALUE ? 1 : next + 1;
    }
}
