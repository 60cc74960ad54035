package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.SetAttr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
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
public final class GoferFile extends GoferInode {
    /** Open descriptions of this file, for operations on it once its name is gone. */
    private final ArrayList<GoferFileDescription> opens = new ArrayList<>();
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
        ArrayList<GoferFileDescription> list;
        synchronized (this) {
            list = new ArrayList<>(opens);
        }
        for (GoferFileDescription d : list) {
            if (!readable || FileMode.readable(d.flags())) {
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
