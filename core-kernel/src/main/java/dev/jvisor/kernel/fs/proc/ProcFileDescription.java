package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.LocatedDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;

/**
 * An open procfs file: the contents generated at open, and an offset into them. A seek back to 0
 * throws the snapshot away, so the next read sees fresh contents (as Linux's seq_file does for
 * programs that rewind and re-read /proc/self/stat). Writes fail with EINVAL, as on Linux for
 * read-only proc files. All plain state: an open proc file survives a checkpoint.
 */
public final class ProcFileDescription extends LocatedDescription {
    private static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
    private byte[] data;
    private long offset;

    ProcFileDescription(Location location, int flags, byte[] data) {
        super(location, flags);
        this.data = data;
    }

    private ProcFile file() {
        return (ProcFile) location().inode();
    }

    private byte[] data(Task t) {
        if (data == null) {
            data = file().generate(t);
        }
        return data;
    }


    @Override
    public synchronized long read(Task t, long addr, long len) {
        if (!FileMode.readable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
        byte[] d = data(t);
        if (offset >= d.length) {
            return 0;
        }
        int n = (int) Math.min(len, d.length - offset);
        t.mm().copyOut(addr, d, (int) offset, n);
        offset += n;
        return n;
    }

    @Override
    public synchronized long pread(Task t, long addr, long len, long off) {
        if (!FileMode.readable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
        if (off < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (off == 0) {
            data = null;
        }
        byte[] d = data(t);
        if (off >= d.length) {
            return 0;
        }
        int n = (int) Math.min(len, d.length - off);
        t.mm().copyOut(addr, d, (int) off, n);
        return n;
    }

    @Override
    public long write(Task t, long addr, long len) {
        if (!FileMode.writable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
        throw new SyscallException(Errno.EINVAL);
    }

    @Override
    public long pwrite(Task t, long addr, long len, long offset) {
        return write(t, addr, len);
    }

    @Override
    public synchronized long seek(Task t, long off, int whence) {
        long pos = switch (whence) {
            case SEEK_SET -> off;
            case SEEK_CUR -> offset + off;
            case SEEK_END -> data(t).length + off;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        if (pos < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (pos == 0) {
            data = null;
        }
        offset = pos;
        return pos;
    }

    public synchronized long offset() {
        return offset;
    }


    @Override
    public String describe() {
        return "proc inode " + location().inode().ino();
    }
}
