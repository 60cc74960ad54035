package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory: getdents64 walks a listing taken when reading starts (and again after a
 * rewind), so entries added meanwhile are not seen twice; the offset is the index in that listing.
 */
public class DirectoryDescription extends LocatedDescription {
    private List<DirEntry> listing;
    private long offset;

    public DirectoryDescription(Location location, int flags) {
        super(location, flags);
    }


    @Override
    public long read(Task t, long addr, long len) {
        throw new SyscallException(Errno.EISDIR);
    }

    @Override
    public long write(Task t, long addr, long len) {
        throw new SyscallException(Errno.EBADF);
    }

    /** pread(2) on a directory: EISDIR, as read(2) (directories are seekable, so not ESPIPE). */
    @Override
    public long pread(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.EISDIR);
    }

    @Override
    public long pwrite(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.EBADF);
    }

    /** getdents64(2): fills {@code len} bytes at {@code addr} with linux_dirent64 records. */
    public long getdents(Task t, long addr, long len) {
        return getdents(t, addr, len, true);
    }

    /**
     * getdents64(2) ({@code dirent64}: struct linux_dirent64 {ino, off, reclen, type, name}) or the
     * old getdents(2) (struct linux_dirent {ino, off, reclen, name, NUL, type}: d_type in the last
     * byte of the record). Records are 8-byte aligned; EINVAL if not even one fits.
     */
    public synchronized long getdents(Task t, long addr, long len, boolean dirent64) {
        if (listing == null || offset == 0) {
            listing = new ArrayList<>();
            Inode dir = location().inode();
            Dentry parent = location().dentry.parent();
            listing.add(new DirEntry(".", dir.ino(), FileMode.DT_DIR));
            long parentIno = parent != null ? parent.inode().ino() : dir.ino();
            listing.add(new DirEntry("..", parentIno, FileMode.DT_DIR));
            listing.addAll(dir.readdir(t));
        }
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(len, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        while (offset < listing.size()) {
            DirEntry e = listing.get((int) offset);
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            int reclen = dirent64 ? (19 + name.length + 1 + 7) & ~7 : (18 + name.length + 2 + 7) & ~7;
            if (out.remaining() < reclen) {
                if (out.position() == 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                break;
            }
            int start = out.position();
            out.putLong(e.ino).putLong(offset + 1).putShort((short) reclen);
            if (dirent64) {
                out.put((byte) e.type);
            }
            out.put(name).put((byte) 0);
            while (out.position() < start + reclen) {
                out.put((byte) 0);
            }
            if (!dirent64) {
                out.put(start + reclen - 1, (byte) e.type);
            }
            offset++;
        }
        t.mm().copyOut(addr, out.array(), 0, out.position());
        return out.position();
    }

    @Override
    public synchronized long seek(Task t, long off, int whence) {
        if (whence == 0 && off >= 0) {
            offset = off;
            return off;
        }
        if (whence == 1 && offset + off >= 0) {
            offset += off;
            return offset;
        }
        throw new SyscallException(Errno.EINVAL);
    }


    /** Directories have no poll operation: always ready for poll/select, EPERM for epoll. */
    @Override
    public boolean pollable() {
        return false;
    }

    @Override
    public String describe() {
        return "dir inode " + location().inode().ino();
    }
}
