package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.gofer.GoferException;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.vfs.DirEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overlay's lower layer served by the gofer process: paths are walked one component at a time
 * from the export's root fid (the gofer never follows host symlinks), and walked and opened fids are
 * cached so a file read costs one request. A gofer failure becomes EIO for the app.
 */
public final class GoferLowerFs implements LowerFs {
    private static final int CACHE = 512;
    private final GoferClient client;
    private final int rootFid;
    private final Map<String, Integer> walked = lru();
    private final Map<String, Integer> opened = lru();
    private final java.util.function.Consumer<String> log;
    private boolean reportedFailure;

    /** {@code log} receives one line the first time the gofer fails (the app then sees EIO). */
    public GoferLowerFs(GoferClient client, String export, java.util.function.Consumer<String> log) {
        this.client = client;
        this.log = log;
        try {
            this.rootFid = client.attach(export).fid();
        } catch (GoferException e) {
            throw new SyscallException(errno(e));
        }
    }

    private Map<String, Integer> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                if (size() > CACHE) {
                    clunk(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    private void clunk(int fid) {
        try {
            client.clunk(fid);
        } catch (GoferException ignored) {
            // The fid is gone either way.
        }
    }

    /** The errno the app sees for a gofer error; a broken gofer is reported once. */
    private int errno(GoferException e) {
        int errno = e.errno() > 0 ? e.errno() : Errno.EIO;
        if (errno == Errno.EIO || !client.isConnected()) {
            synchronized (this) {
                if (!reportedFailure) {
                    reportedFailure = true;
                    log.accept("gofer failed (" + e.getMessage() + "); file system calls return EIO");
                }
            }
            return Errno.EIO;
        }
        return errno;
    }


    /** The fid of {@code path}, walking from the nearest cached ancestor. */
    private synchronized int fid(String path) throws GoferException {
        if (path.isEmpty()) {
            return rootFid;
        }
        Integer f = walked.get(path);
        if (f != null) {
            return f;
        }
        int cut = path.lastIndexOf('/');
        int parent = fid(cut < 0 ? "" : path.substring(0, cut));
        int fid = client.walk(parent, path.substring(cut + 1)).fid();
        walked.put(path, fid);
        return fid;
    }

    @Override
    public LowerAttr stat(String path) {
        try {
            Attr a;
            synchronized (this) {
                Integer f = walked.get(path);
                a = f != null ? client.stat(f) : path.isEmpty() ? client.stat(rootFid) : null;
                if (a == null) {
                    int cut = path.lastIndexOf('/');
                    int parent = fid(cut < 0 ? "" : path.substring(0, cut));
                    var fa = client.walk(parent, path.substring(cut + 1));
                    walked.put(path, fa.fid());
                    a = fa.attr();
                }
            }
            return new LowerAttr(a.ino(), a.mode(), a.uid(), a.gid(), a.size(), nanos(a.atime()), nanos(a.mtime()),
                    nanos(a.ctime()), (int) a.nlink(), a.rdev(), a.blocks());
        } catch (GoferException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw new SyscallException(errno(e));
        }
    }

    private static long nanos(dev.jvisor.gofer.Timespec t) {
        return t.sec() * 1_000_000_000L + t.nsec();
    }

    @Override
    public List<DirEntry> list(String path) {
        List<DirEntry> out = new ArrayList<>();
        try {
            int dir;
            synchronized (this) {
                dir = client.cloneFid(fid(path)).fid();
            }
            try {
                client.open(dir, 0);
                long cookie = 0;
                while (true) {
                    List<dev.jvisor.gofer.DirEntry> batch = client.readdir(dir, cookie, 65536);
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (dev.jvisor.gofer.DirEntry e : batch) {
                        if (!e.name().equals(".") && !e.name().equals("..")) {
                            out.add(new DirEntry(e.name(), e.ino(), e.type()));
                        }
                        cookie = e.nextCookie();
                    }
                }
            } finally {
                clunk(dir);
            }
            return out;
        } catch (GoferException e) {
            throw new SyscallException(errno(e));
        }
    }

    @Override
    public String readlink(String path) {
        try {
            synchronized (this) {
                return client.readlink(fid(path));
            }
        } catch (GoferException e) {
            throw new SyscallException(errno(e));
        }
    }

    @Override
    public int read(String path, long off, byte[] dst, int dstOff, int len) {
        try {
            int fid;
            synchronized (this) {
                Integer f = opened.get(path);
                if (f == null) {
                    f = client.cloneFid(fid(path)).fid();
                    client.open(f, 0);
                    opened.put(path, f);
                }
                fid = f;
            }
            int done = 0;
            while (done < len) {
                int n = client.read(fid, off + done, ByteBuffer.wrap(dst, dstOff + done, Math.min(len - done, client.maxIo())));
                if (n <= 0) {
                    break;
                }
                done += n;
            }
            return done;
        } catch (GoferException e) {
            throw new SyscallException(errno(e));
        }
    }
}
