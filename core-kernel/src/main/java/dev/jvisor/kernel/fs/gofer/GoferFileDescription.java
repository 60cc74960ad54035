package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileData;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FileSizeLimit;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.Location;
import java.nio.ByteBuffer;

/**
 * An open file of a bind mount: an offset and flags in the kernel graph, and a gofer fid opened with
 * the description's access mode (a host resource: after a restore it is opened again, by path, on
 * first use). Data moves between the host file and app memory without an intermediate copy when the
 * app's buffer is contiguous in the memory file. O_APPEND is the Sentry's: each append asks the host
 * for the size and writes there, under the file's lock, so appends from the sandbox never interleave
 * (the flag can change with fcntl, which a host open could not follow).
 */
public final class GoferFileDescription extends InodeFileDescription {
    private final GoferFile file;
    private long pos;
    private transient int fid;

    GoferFileDescription(Location at, int flags, GoferFile file, int createdFid) {
        super(at, flags);
        this.file = file;
        this.fid = createdFid;
    }

    public GoferFile file() {
        return file;
    }

    /** The fid, opening it (again, after a restore) by the file's path if needed. */
    synchronized int openFid() {
        if (fid == 0) {
            fid = file.session().open(file.livePath(), flags & FileMode.O_ACCMODE);
        }
        return fid;
    }

    /** The fid if opened, else 0. */
    synchronized int currentFid() {
        return fid;
    }

    private GoferSession session() {
        return file.session();
    }

    private void checkReadable() {
        if (!FileMode.readable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
    }

    private void checkWritable() {
        if (!FileMode.writable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
    }

    /** The file's size now: the host's, or the cache's while the file is mapped shared. */
    private long hostSize() {
        FileData c = file.cache();
        if (c != null) {
            return c.size();
        }
        Attr a = session().statFid(openFid());
        file.apply(a);
        return a.size();
    }

    private static ByteBuffer hostBuffer(long host, long len) {
        return new com.sun.jna.Pointer(host).getByteBuffer(0, len);
    }

    /** Reads at {@code off} into app memory until {@code len} bytes or the end of file. */
    private long readAt(Task t, long off, long addr, long len) {
        if (len == 0) {
            return 0;
        }
        FileData c = file.cache();
        if (c != null) {
            return c.read(t, off, addr, len);
        }
        int f = openFid();
        long done = 0;
        boolean[] eof = {false};
        while (done < len && !eof[0]) {
            long at = off + done;
            long n = t.mm().transfer(addr + done, len - done, true, (host, count) -> {
                int got = session().read(f, at, hostBuffer(host, count));
                eof[0] = got < count;
                return got;
            });
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** Writes app memory to the host file at {@code off}; returns the count. */
    private long writeAt(Task t, long off, long addr, long len) {
        if (len == 0) {
            return 0;
        }
        if (off + len < 0) {
            throw new SyscallException(Errno.EFBIG);
        }
        FileData c = file.cache();
        if (c != null) {
            long n = c.write(t, off, addr, len);
            file.cacheWritten();
            return n;
        }
        int f = openFid();
        long[] at = {off};
        long n = t.mm().transfer(addr, len, false, (host, count) -> {
            int put = session().write(f, at[0], hostBuffer(host, count));
            at[0] += put;
            return put;
        });
        file.wrote(off + n);
        return n;
    }

    @Override
    public synchronized long read(Task t, long addr, long len) {
        checkReadable();
        long n = readAt(t, pos, addr, len);
        pos += n;
        return n;
    }

    @Override
    public synchronized long write(Task t, long addr, long len) {
        checkWritable();
        if ((flags & FileMode.O_APPEND) != 0) {
            synchronized (file) {
                long end = hostSize();
                long n = writeAt(t, end, addr, FileSizeLimit.clampWrite(t, end, len));
                pos = end + n;
                return n;
            }
        }
        long n = writeAt(t, pos, addr, FileSizeLimit.clampWrite(t, pos, len));
        pos += n;
        return n;
    }

    @Override
    public long pread(Task t, long addr, long len, long off) {
        checkReadable();
        if (off < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return readAt(t, off, addr, len);
    }

    /** pwrite(2); with O_APPEND the data goes at the end of file whatever the offset, as on Linux. */
    @Override
    public long pwrite(Task t, long addr, long len, long off) {
        checkWritable();
        if (off < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & FileMode.O_APPEND) != 0) {
            synchronized (file) {
                long end = hostSize();
                return writeAt(t, end, addr, FileSizeLimit.clampWrite(t, end, len));
            }
        }
        return writeAt(t, off, addr, FileSizeLimit.clampWrite(t, off, len));
    }

    /** lseek(2): SEEK_END and the data/hole queries ask the host for the size (it may have grown). */
    @Override
    public synchronized long seek(Task t, long off, int whence) {
        pos = seekTarget(off, whence, pos, this::hostSize);
        return pos;
    }

    /** fstat(2): the host's attributes through this description's fid (works once the name is gone). */
    @Override
    public byte[] stat(Task t) {
        file.apply(session().statFid(openFid()));
        return file.cachedStat(t);
    }

    @Override
    public void fsync(Task t) {
        file.writeBack();
        session().fsync(openFid());
    }

    @Override
    public synchronized long offset() {
        return pos;
    }

    @Override
    public void release() {
        int f;
        synchronized (this) {
            f = fid;
            fid = 0;
        }
        file.closed(this);
        if (f != 0) {
            try {
                session().clunkQuietly(f);
            } catch (SyscallException ignored) {
                // Not attached (restored, never reattached): nothing to clunk.
            }
        }
    }
}
