package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.SetAttr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.mm.MappingTracked;
import dev.jvisor.kernel.mm.PageRefs;
import dev.jvisor.kernel.mm.SharedPages;
import dev.jvisor.kernel.vfs.FileData;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import java.nio.ByteBuffer;
import java.util.ArrayList;

/**
 * A regular file of a bind mount. Its bytes live on the host only: each open file description has a
 * gofer fid of its own ({@link GoferFileDescription}), and the Sentry's own reads (the ELF loader,
 * private mappings, sendfile) share a reader fid. The host identity (inode, size, mtime) it had when
 * the sandbox was checkpointed is kept, so a restore can refuse a file that changed meanwhile.
 */
public final class GoferFile extends GoferInode implements MappingTracked, SharedPages {
    private static final int CHUNK = 1 << 20;
    /** Open descriptions of this file, for operations on it once its name is gone. */
    private final ArrayList<GoferFileDescription> opens = new ArrayList<>();
    /** VMAs mapping this file (private ones too), over every address space. */
    private int mappings;
    /**
     * While the file is mapped shared: its bytes in memory-file pages, which those mappings map and
     * which read, write and truncate use too, so the sandbox sees one file. Written back to the host
     * on msync, fsync, checkpoint and when the last mapping goes (Linux's page cache writes back
     * dirty pages; host processes see the sandbox's stores only then). Null otherwise.
     */
    private FileData cache;
    /** Whether a write(2) went into the cache since it was last written back. */
    private boolean dirty;
    /** Whether a mapping may store into the cache (then every write-back writes it all). */
    private boolean mappedWritable;
    /** The fid CREATE opened read-write, kept for the open(2) that made the file. */
    private transient int createdFid;
    /** Identity at the last checkpoint: one of the IDENTITY_* states, and the figures. */
    private int identityState;
    private long identityIno;
    private long identitySize;
    private long identityMtimeNs;

    static final int IDENTITY_NONE = 0, IDENTITY_RECORDED = 1, IDENTITY_REMOVED = 2, IDENTITY_UNKNOWN = 3;

    GoferFile(GoferFs fs, GoferDir parent, String name, Attr a) {
        super(fs, parent, name, a);
    }

    synchronized void setCreatedFid(int fid) {
        if (createdFid != 0) {
            session().clunkQuietly(createdFid);
        }
        createdFid = fid;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        int fid;
        synchronized (this) {
            fid = createdFid;
            createdFid = 0;
        }
        GoferFileDescription d = new GoferFileDescription(at, flags, this, fid);
        d.openFid();
        synchronized (this) {
            opens.add(d);
        }
        return d;
    }

    synchronized void closed(GoferFileDescription d) {
        opens.remove(d);
    }

    /** An fid the file is open with (for a file whose name is gone), or 0. */
    private int anyOpenFid(boolean readable) {
        return anyOpenFid(readable, false);
    }

    private int anyOpenFid(boolean readable, boolean writable) {
        ArrayList<GoferFileDescription> list;
        synchronized (this) {
            list = new ArrayList<>(opens);
        }
        for (GoferFileDescription d : list) {
            if ((!readable || FileMode.readable(d.flags())) && (!writable || FileMode.writable(d.flags()))) {
                int f = d.currentFid();
                if (f != 0) {
                    return f;
                }
            }
        }
        return 0;
    }

    @Override
    Attr refresh() {
        String p = path();
        if (p != null) {
            return super.refresh();
        }
        int fid = anyOpenFid(false);
        if (fid == 0) {
            throw new SyscallException(Errno.ENOENT);
        }
        Attr a = session().statFid(fid);
        apply(a);
        return a;
    }

    @Override
    protected void setattr(SetAttr changes) {
        String p = path();
        if (p != null) {
            super.setattr(changes);
            return;
        }
        int fid = anyOpenFid(false);
        if (fid == 0) {
            throw new SyscallException(Errno.ENOENT);
        }
        apply(session().setattrFid(fid, changes));
    }

    @Override
    public void truncate(Task t, long newSize) {
        if (newSize < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        setattr(SetAttr.size(newSize));
        FileData c = cache();
        if (c != null) {
            long old = c.size();
            if (newSize < old) {
                c.truncateMapped(newSize);
                if (t != null) {
                    t.kernel.forEachMemoryManager(mm -> mm.fileShrunk(this, newSize));
                }
            } else {
                c.truncate(newSize);
            }
        }
    }

    // ---- shared mappings ------------------------------------------------------------------------------

    /** The cache of a file mapped shared, or null (then the host file is the only copy). */
    synchronized FileData cache() {
        return cache;
    }

    @Override
    public synchronized FileData sharedData() {
        if (cache == null) {
            throw new SyscallException(Errno.ENODEV);
        }
        return cache;
    }

    /**
     * Before a MAP_SHARED mapping of this file: loads the host file into memory-file pages (once, for
     * all its shared mappings). {@code writable}: the mapping may store into them.
     */
    public void beginSharedMapping(Task t, boolean writable) {
        synchronized (this) {
            if (cache != null) {
                mappedWritable |= writable;
                return;
            }
        }
        long hostSize = refresh().size();
        FileData d = new FileData(t.kernel.memory());
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(hostSize, 1))];
        for (long off = 0; off < hostSize; ) {
            int n = readBytes(t, off, buf, 0, (int) Math.min(buf.length, hostSize - off));
            if (n <= 0) {
                break;
            }
            d.writeBytes(off, buf, 0, n);
            off += n;
        }
        d.truncate(hostSize);
        synchronized (this) {
            if (cache == null) {
                cache = d;
                mappedWritable = writable;
                return;
            }
            mappedWritable |= writable;
        }
        d.release();
    }

    /** A write went into the cache. */
    synchronized void cacheWritten() {
        dirty = true;
    }

    @Override
    public synchronized void mappingAdded() {
        mappings++;
    }

    @Override
    public synchronized void mappingRemoved(PageRefs.Freer freer) {
        mappings = Math.max(0, mappings - 1);
        if (mappings == 0 && cache != null) {
            dropCache(freer::free);
        }
    }

    /** An mmap that made the cache failed: drops it again if nothing maps the file. */
    public synchronized void sharedMappingFailed() {
        if (mappings == 0 && cache != null) {
            dropCache(null);
        }
    }

    /** Writes the cache back and frees it, to {@code freer} (the memory manager's), or at once if null. */
    private void dropCache(FileData.PageFreer freer) {
        try {
            writeBack();
        } catch (SyscallException e) {
            // Nobody is left to hear it (munmap, exit): as on Linux, a failed write-back of a page
            // cache surfaces only through a later fsync, and there is none.
        }
        if (freer != null) {
            cache.release(freer);
        } else {
            cache.release();
        }
        cache = null;
        dirty = mappedWritable = false;
    }

    /**
     * Writes the cache back to the host file (msync, fsync, checkpoint, last munmap). A file with no
     * name and no writable open left has nowhere to go: its bytes are dropped, as Linux drops the
     * page cache of a deleted file.
     */
    public synchronized void writeBack() {
        if (cache == null || !dirty && !mappedWritable) {
            return;
        }
        int fid = anyOpenFid(false, true);
        boolean own = false;
        if (fid == 0) {
            String p = path();
            if (p == null) {
                return;
            }
            fid = session().open(p, FileMode.O_WRONLY);
            own = true;
        }
        try {
            long size = cache.size();
            byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
            for (long off = 0; off < size; ) {
                int n = cache.readBytes(off, buf, 0, (int) Math.min(buf.length, size - off));
                session().write(fid, off, ByteBuffer.wrap(buf, 0, n));
                off += n;
            }
            apply(session().setattrFid(fid, SetAttr.size(size)));
            dirty = false;
        } finally {
            if (own) {
                session().clunkQuietly(fid);
            }
        }
    }

    @Override
    public synchronized long size(Task t) {
        return cache != null ? cache.size() : super.size(t);
    }

    @Override
    synchronized void apply(Attr a) {
        super.apply(a);
        if (cache != null) {
            size = cache.size(); // the host's figure is stale until the cache is written back
        }
    }

    /** A write of {@code n} bytes ending at {@code end} went to the host. */
    synchronized void wrote(long end) {
        size = Math.max(size, end);
    }

    @Override
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        if (len == 0) {
            return 0;
        }
        FileData c = cache();
        if (c != null) {
            return c.readBytes(off, dst, dstOff, len);
        }
        int fid;
        try {
            fid = session().reader(this, path());
        } catch (SyscallException e) {
            fid = anyOpenFid(true);
            if (fid == 0) {
                throw e;
            }
        }
        return session().read(fid, off, ByteBuffer.wrap(dst, dstOff, len));
    }

    @Override
    public long read(Task t, long off, long addr, long len) {
        int n = (int) Math.min(len, 1 << 20);
        byte[] buf = new byte[n];
        int got = readBytes(t, off, buf, 0, n);
        if (got > 0) {
            t.mm().copyOut(addr, buf, 0, got);
        }
        return got;
    }

    // ---- checkpoint identity --------------------------------------------------------------------------

    /** Records what the host file is now (at checkpoint, with the sandbox frozen). */
    void recordIdentity() {
        // The host file must hold what the sandbox wrote through its mappings, so that it is the file
        // the cache in the snapshot came from.
        try {
            writeBack();
        } catch (SyscallException e) {
            // The gofer failed: the identity below says so.
        }
        Attr a = null;
        int state;
        if (path() == null) {
            state = IDENTITY_REMOVED;
        } else {
            try {
                a = refresh();
                state = IDENTITY_RECORDED;
            } catch (SyscallException e) {
                // Removed behind the sandbox's back, or the gofer is gone: nothing to reopen it by.
                state = e.errno == Errno.ENOENT ? IDENTITY_REMOVED : IDENTITY_UNKNOWN;
            }
        }
        synchronized (this) {
            identityState = state;
            if (a != null) {
                identityIno = a.ino();
                identitySize = a.size();
                identityMtimeNs = nanos(a.mtime());
            }
        }
    }

    /** The identity recorded at the last checkpoint, or null if none (or the file had been deleted). */
    BindMounts.HeldFile heldFile() {
        long ino, size, mtime;
        synchronized (this) {
            if (identityState != IDENTITY_RECORDED) {
                return null;
            }
            ino = identityIno;
            size = identitySize;
            mtime = identityMtimeNs;
        }
        String p = path(); // not under this inode's lock: path() takes the file system's
        String host = gofer().hostSource();
        return new BindMounts.HeldFile(gofer().display(p), p == null || p.isEmpty() ? host : host + "/" + p, ino, size,
                mtime);
    }

    /** Why this file cannot be used after a restore, or null if it is the file it was at checkpoint. */
    String identityProblem() {
        int state;
        synchronized (this) {
            state = identityState;
        }
        if (state == IDENTITY_NONE) {
            return null;
        }
        String shown = gofer().display(path());
        if (state == IDENTITY_REMOVED) {
            return "a file open on the bind mount " + gofer().destination() + " (last named " + lastName()
                    + ") had been deleted at checkpoint time and cannot be reopened";
        }
        if (state == IDENTITY_UNKNOWN) {
            return shown + " could not be examined at checkpoint time (the gofer had failed)";
        }
        Attr now = session().statPath(path());
        if (now == null) {
            return shown + " is missing (" + gofer().hostSource() + ")";
        }
        synchronized (this) {
            if (now.ino() != identityIno || now.size() != identitySize || nanos(now.mtime()) != identityMtimeNs
                    || !FileMode.isReg(now.mode())) {
                return shown + " changed on the host since the checkpoint";
            }
        }
        return null;
    }
}
