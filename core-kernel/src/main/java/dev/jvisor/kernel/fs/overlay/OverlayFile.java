package dev.jvisor.kernel.fs.overlay;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemFile;
import dev.jvisor.kernel.vfs.FileData;

/**
 * A regular file of the overlay. Until it is first written its bytes are read from the lower layer
 * (by path); a write, truncate or shared writable mapping copies it up into the memory file. The
 * lower file's identity (inode, size, mtime) is kept so a restore can tell whether it changed.
 */
public final class OverlayFile extends MemFile {
    private final String lowerPath;
    private final long lowerIno;
    private final long lowerSize;
    private final long lowerMtimeNs;
    private final long lowerBlocks;
    private boolean copiedUp;

    OverlayFile(OverlayFs fs, LowerFs.LowerAttr a, String lowerPath) {
        super(fs, a.ino, a.mode & 07777, a.uid, a.gid);
        setAttributes(a.mode, a.uid, a.gid, a.nlink, a.atimeNs, a.mtimeNs, a.ctimeNs, a.rdev);
        this.lowerPath = lowerPath;
        this.lowerIno = a.ino;
        this.lowerSize = a.size;
        this.lowerMtimeNs = a.mtimeNs;
        this.lowerBlocks = a.blocks;
    }

    private OverlayFs overlay() {
        return (OverlayFs) fs;
    }

    private synchronized boolean onLower() {
        return !copiedUp;
    }

    /** Copies the lower bytes into the memory file (once). */
    private synchronized void copyUp() {
        if (copiedUp) {
            return;
        }
        byte[] buf = new byte[1 << 20];
        long off = 0;
        while (off < lowerSize) {
            int n = overlay().lower().read(lowerPath, off, buf, 0, (int) Math.min(buf.length, lowerSize - off));
            if (n <= 0) {
                break;
            }
            data.writeBytes(off, buf, 0, n);
            off += n;
        }
        copiedUp = true;
    }

    @Override
    public FileData data(Task t) {
        copyUp();
        return data;
    }

    @Override
    public long size(Task t) {
        return onLower() ? lowerSize : data.size();
    }

    @Override
    protected long allocatedBytes(Task t) {
        return onLower() ? (lowerBlocks >= 0 ? lowerBlocks * 512 : lowerSize) : data.allocatedBytes();
    }

    @Override
    public long read(Task t, long off, long addr, long len) {
        if (!onLower()) {
            return super.read(t, off, addr, len);
        }
        if (off >= lowerSize) {
            return 0;
        }
        int n = (int) Math.min(Math.min(len, lowerSize - off), 1 << 20);
        byte[] buf = new byte[n];
        int got = overlay().lower().read(lowerPath, off, buf, 0, n);
        if (got > 0) {
            t.mm().copyOut(addr, buf, 0, got);
        }
        return Math.max(got, 0);
    }

    @Override
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        if (!onLower()) {
            return super.readBytes(t, off, dst, dstOff, len);
        }
        if (off >= lowerSize) {
            return 0;
        }
        int want = (int) Math.min(len, lowerSize - off);
        int done = 0;
        while (done < want) {
            int n = overlay().lower().read(lowerPath, off + done, dst, dstOff + done, want - done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    @Override
    public long write(Task t, long off, long addr, long len) {
        copyUp();
        return super.write(t, off, addr, len);
    }

    @Override
    public void truncate(Task t, long size) {
        copyUp();
        super.truncate(t, size);
    }

    public String lowerPath() {
        return lowerPath;
    }

    /** Whether the lower file still is the one this inode was made from. */
    /** The lower file this one still reads from, as it was when first looked up; null once copied up. */
    public synchronized LowerIdentity lowerIdentity() {
        return copiedUp ? null : new LowerIdentity(lowerPath, lowerIno, lowerSize, lowerMtimeNs);
    }

    public boolean lowerUnchanged(LowerFs.LowerAttr now) {
        return copiedUp || now != null && now.ino == lowerIno && now.size == lowerSize && now.mtimeNs == lowerMtimeNs;
    }
}
