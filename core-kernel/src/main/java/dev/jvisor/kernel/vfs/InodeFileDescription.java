package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** An open regular file: an offset over an inode's read/write operations. */
public class InodeFileDescription extends LocatedDescription {
    private static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    private long offset;

    public InodeFileDescription(Location location, int flags) {
        super(location, flags);
    }


    protected Inode inode() {
        return location().inode();
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

    @Override
    public synchronized long read(Task t, long addr, long len) {
        checkReadable();
        long n = inode().read(t, offset, addr, len);
        offset += n;
        return n;
    }

    @Override
    public synchronized long write(Task t, long addr, long len) {
        checkWritable();
        if ((flags & FileMode.O_APPEND) != 0) {
            offset = inode().size(t);
        }
        long n = inode().write(t, offset, addr, limitWrite(t, offset, len));
        offset += n;
        return n;
    }

    @Override
    public long pread(Task t, long addr, long len, long off) {
        checkReadable();
        if (off < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return inode().read(t, off, addr, len);
    }

    @Override
    public long pwrite(Task t, long addr, long len, long off) {
        checkWritable();
        if (off < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long pos = (flags & FileMode.O_APPEND) != 0 ? inode().size(t) : off;
        return inode().write(t, pos, addr, limitWrite(t, pos, len));
    }

    /**
     * pwritev2 with RWF_APPEND (at the end, whatever {@code pos} says) or RWF_NOAPPEND (at {@code pos}
     * or the offset, despite O_APPEND): {@code pos} -1 means the file offset, which then moves.
     */
    public long writeAt(Task t, long addr, long len, long pos, boolean append) {
        checkWritable();
        synchronized (this) {
            long at = append ? inode().size(t) : pos < 0 ? offset : pos;
            long n = inode().write(t, at, addr, limitWrite(t, at, len));
            if (pos < 0) {
                offset = at + n;
            }
            return n;
        }
    }

    /** RLIMIT_FSIZE applies to regular files only. */
    private long limitWrite(Task t, long pos, long len) {
        return FileMode.isReg(inode().mode()) ? FileSizeLimit.clampWrite(t, pos, len) : len;
    }

    @Override
    public synchronized long seek(Task t, long off, int whence) {
        offset = seekTarget(off, whence, offset, () -> inode().size(t));
        return offset;
    }

    /**
     * lseek(2)'s arithmetic and errnos for a file of {@code size} (asked only when needed) read at
     * {@code current}: the new position. A file is all data: SEEK_DATA stays, SEEK_HOLE goes to the end.
     */
    protected static long seekTarget(long off, int whence, long current, java.util.function.LongSupplier size) {
        long pos = switch (whence) {
            case SEEK_SET -> off;
            case SEEK_CUR -> current + off;
            case SEEK_END -> size.getAsLong() + off;
            case SEEK_DATA, SEEK_HOLE -> {
                long end = size.getAsLong();
                if (off >= end || off < 0) {
                    throw new SyscallException(Errno.ENXIO);
                }
                yield whence == SEEK_DATA ? off : end;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        };
        if (pos < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return pos;
    }

    @Override
    public byte[] stat(Task t) {
        return inode().stat(t);
    }

    @Override
    public String describe() {
        return "inode " + inode().ino();
    }

    /** Regular files have no poll operation: always ready for poll/select, EPERM for epoll. */
    @Override
    public boolean pollable() {
        return false;
    }

    public synchronized long offset() {
        return offset;
    }
}
