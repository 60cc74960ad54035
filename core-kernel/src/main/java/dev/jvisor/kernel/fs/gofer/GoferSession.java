package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.FidAttr;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.gofer.GoferException;
import dev.jvisor.gofer.SetAttr;
import dev.jvisor.gofer.StatFs;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.DirEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One bind mount's connection to its export on the gofer: a host resource, never in the kernel graph
 * (a restore attaches a new one). Files are named by their path below the export root ("" is the
 * root); the fids walked for those paths, and the fids opened for reading whole files (the ELF loader,
 * private mappings), are cached in small LRU maps, so the number of fids stays bounded whatever the
 * sandbox does. The gofer keeps walked fids in step with renames and unlinks made through this
 * connection; the caller tells the session ({@link #forget}) so its map never names a moved file.
 *
 * <p>Every failure is a {@link SyscallException} with the gofer's Linux errno; a gofer that died or
 * broke the protocol gives EIO and one line in the log.
 */
final class GoferSession {
    private static final int WALKED = 256;
    private static final int READERS = 64;

    private final GoferClient client;
    private final String label;
    private final Consumer<String> log;
    private final int rootFid;
    private final Attr rootAttr;
    private final Map<String, Integer> walked;
    private final Map<Object, Integer> readers;
    private boolean reportedFailure;

    private GoferSession(GoferClient client, String label, Consumer<String> log, int rootFid, Attr rootAttr) {
        this.client = client;
        this.label = label;
        this.log = log;
        this.rootFid = rootFid;
        this.rootAttr = rootAttr;
        this.walked = lru(WALKED);
        this.readers = lru(READERS);
    }

    /**
     * Attaches to export {@code export}; {@code label} names the mount in log lines.
     *
     * @throws GoferException if the gofer has no such export or does not answer
     */
    static GoferSession attach(GoferClient client, String export, String label, Consumer<String> log)
            throws GoferException {
        var a = client.attach(export);
        return new GoferSession(client, label, log, a.fid(), a.attr());
    }

    Attr rootAttr() {
        return rootAttr;
    }

    private <K> Map<K, Integer> lru(int capacity) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Integer> eldest) {
                if (size() > capacity) {
                    clunkQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    void clunkQuietly(int fid) {
        try {
            client.clunk(fid);
        } catch (GoferException ignored) {
            // The fid is gone either way (a dead gofer forgets them all).
        }
    }

    /** The application's error for a failed request; a broken gofer is reported once. */
    SyscallException fail(GoferException e) {
        int errno = e.errno() > 0 ? e.errno() : Errno.EIO;
        if (errno == Errno.EIO || !client.isConnected()) {
            synchronized (this) {
                if (!reportedFailure) {
                    reportedFailure = true;
                    log.accept("gofer failed (" + e.getMessage() + "); file system calls on " + label
                            + " return EIO");
                }
            }
            return new SyscallException(Errno.EIO);
        }
        return new SyscallException(errno);
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    // ---- walked fids ------------------------------------------------------------------------------

    /** The walked fid of {@code path}, walking from the nearest cached ancestor. */
    private int fid(String path) throws GoferException {
        if (path.isEmpty()) {
            return rootFid;
        }
        Integer f = walked.get(path);
        if (f != null) {
            return f;
        }
        int cut = path.lastIndexOf('/');
        int parent = fid(cut < 0 ? "" : path.substring(0, cut));
        FidAttr fa = client.walk(parent, path.substring(cut + 1));
        walked.put(path, fa.fid());
        return fa.fid();
    }

    /** Clunks the cached fids of {@code path} and everything below it (it was renamed or removed). */
    synchronized void forget(String path) {
        String below = path + "/";
        for (Iterator<Map.Entry<String, Integer>> it = walked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (e.getKey().equals(path) || path.isEmpty() || e.getKey().startsWith(below)) {
                clunkQuietly(e.getValue());
                it.remove();
            }
        }
    }

    // ---- look-ups -----------------------------------------------------------------------------------

    /** Attributes of what {@code path} names now (never following a symlink), or null if nothing. */
    synchronized Attr statPath(String path) {
        try {
            Integer f = path.isEmpty() ? Integer.valueOf(rootFid) : walked.get(path);
            if (f != null) {
                return client.stat(f);
            }
            int cut = path.lastIndexOf('/');
            int parent = fid(cut < 0 ? "" : path.substring(0, cut));
            FidAttr fa = client.walk(parent, path.substring(cut + 1));
            walked.put(path, fa.fid());
            return fa.attr();
        } catch (GoferException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP) {
                // Gone, or an ancestor is no longer a directory (the host changed the tree).
                forget(path);
                return null;
            }
            throw fail(e);
        }
    }

    /** Like {@link #statPath}, ENOENT if nothing is there. */
    Attr stat(String path) {
        Attr a = statPath(path);
        if (a == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        return a;
    }

    synchronized Attr statFid(int fid) {
        try {
            return client.stat(fid);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized String readlink(String path) {
        try {
            return client.readlink(fid(path));
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    /** The entries of the directory {@code path}, without "." and "..". */
    List<DirEntry> list(String path) {
        int dir;
        synchronized (this) {
            try {
                dir = client.cloneFid(fid(path)).fid();
            } catch (GoferException e) {
                throw fail(e);
            }
        }
        List<DirEntry> out = new ArrayList<>();
        try {
            client.open(dir, 0);
            long cookie = 0;
            while (true) {
                List<dev.jvisor.gofer.DirEntry> batch = client.readdir(dir, cookie, 65536);
                if (batch.isEmpty()) {
                    return out;
                }
                for (dev.jvisor.gofer.DirEntry e : batch) {
                    out.add(new DirEntry(e.name(), e.ino(), e.type()));
                    cookie = e.nextCookie();
                }
            }
        } catch (GoferException e) {
            throw fail(e);
        } finally {
            clunkQuietly(dir);
        }
    }

    synchronized StatFs statfs(String path) {
        try {
            return client.statfs(fid(path));
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    // ---- changes ------------------------------------------------------------------------------------

    /** Creates {@code dir}/{@code name} exclusively; the new fid is opened read-write and the caller's. */
    synchronized FidAttr create(String dir, String name, int mode) {
        try {
            return client.create(fid(dir), name, dev.jvisor.gofer.OpenFlags.O_RDWR, mode);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized Attr mkdir(String dir, String name, int mode) {
        try {
            return client.mkdir(fid(dir), name, mode);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized Attr mknod(String dir, String name, int mode) {
        try {
            return client.mknod(fid(dir), name, mode, 0);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized Attr symlink(String dir, String name, String target) {
        try {
            return client.symlink(fid(dir), name, target);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized Attr link(String target, String dir, String name) {
        try {
            return client.link(fid(target), fid(dir), name);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized void unlink(String dir, String name, boolean isDir) {
        try {
            client.unlink(fid(dir), name, isDir);
        } catch (GoferException e) {
            throw fail(e);
        } finally {
            forget(join(dir, name));
        }
    }

    synchronized void rename(String dir, String name, String newDir, String newName) {
        try {
            client.rename(fid(dir), name, fid(newDir), newName);
        } catch (GoferException e) {
            throw fail(e);
        } finally {
            forget(join(dir, name));
            forget(join(newDir, newName));
        }
    }

    synchronized Attr setattr(String path, SetAttr changes) {
        try {
            return client.setattr(fid(path), changes);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    synchronized Attr setattrFid(int fid, SetAttr changes) {
        try {
            return client.setattr(fid, changes);
        } catch (GoferException e) {
            throw fail(e);
        }
    }

    // ---- opened fids --------------------------------------------------------------------------------

    /** A new fid for {@code path} opened with {@code flags} (open(2) flags); the caller clunks it. */
    synchronized int open(String path, int flags) {
        int fid;
        try {
            fid = client.cloneFid(fid(path)).fid();
        } catch (GoferException e) {
            throw fail(e);
        }
        try {
            client.open(fid, flags);
            return fid;
        } catch (GoferException e) {
            clunkQuietly(fid);
            throw fail(e);
        }
    }

    /**
     * An fid of the file at {@code path} opened for reading, shared by the Sentry's own reads (ELF
     * loader, mappings, the lower layer), under {@code key}: the {@link GoferFile} on a bind mount,
     * whose name can change, or the path itself where it cannot.
     */
    synchronized int reader(Object key, String path) {
        Integer f = readers.get(key);
        if (f != null) {
            return f;
        }
        if (path == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        int fid = open(path, dev.jvisor.gofer.OpenFlags.O_RDONLY);
        readers.put(key, fid);
        return fid;
    }

    /** Forgets the reader of a file whose name now leads elsewhere. */
    synchronized void dropReader(GoferFile file) {
        Integer f = readers.remove(file);
        if (f != null) {
            clunkQuietly(f);
        }
    }

    /** Reads into {@code dst} until it is full or the file ends; returns the count. */
    int read(int fid, long off, ByteBuffer dst) {
        int done = 0;
        try {
            while (dst.hasRemaining()) {
                int want = Math.min(dst.remaining(), client.maxIo());
                int n = client.read(fid, off + done, dst);
                done += Math.max(n, 0);
                if (n < want) {
                    break; // end of file
                }
            }
            return done;
        } catch (GoferException e) {
            if (done > 0) {
                return done;
            }
            throw fail(e);
        }
    }

    /** Writes all of {@code src} at {@code off} (at the end of file for an O_APPEND fid); returns the count. */
    int write(int fid, long off, ByteBuffer src) {
        int done = 0;
        try {
            while (src.hasRemaining()) {
                done += client.write(fid, off + done, src);
            }
            return done;
        } catch (GoferException e) {
            if (done > 0) {
                return done;
            }
            throw fail(e);
        }
    }

    void fsync(int fid) {
        try {
            client.fsync(fid);
        } catch (GoferException e) {
            throw fail(e);
        }
    }
}
