package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.dev.Device;
import dev.jvisor.kernel.fs.dev.DeviceFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/**
 * A character or block device node made by mknod(2) in an in-memory file system (or the whiteout,
 * a 0:0 character device, that renameat2(RENAME_WHITEOUT) leaves). Opening it reaches the sandbox's
 * device of that number (/dev/null's 1:3...); a number no driver serves is ENXIO, as on Linux.
 */
public class MemDevice extends Inode {
    public MemDevice(MemFs fs, long ino, int mode, long dev, int uid, int gid) {
        super(fs, ino, (mode & FileMode.S_IFMT) | (mode & 07777), uid, gid);
        this.rdev = dev;
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        Device d = type() == FileMode.S_IFCHR ? Device.byRdev(rdev) : null;
        if (d == null || d == Device.TTY) {
            throw new SyscallException(Errno.ENXIO);
        }
        return new DeviceFile(at, flags, d);
    }
}
