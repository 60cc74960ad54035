package dev.jvisor.kernel.fs.dev;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/** A character device inode of /dev. */
public final class DeviceNode extends Inode {
    private final Device device;

    public DeviceNode(FileSystem fs, long ino, Device device) {
        super(fs, ino, FileMode.S_IFCHR | 0666, 0, 0);
        this.device = device;
        this.rdev = device.rdev();
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        if (device == Device.TTY) {
            // The sandbox has no controlling terminal of its own yet.
            throw new SyscallException(Errno.ENXIO);
        }
        return new DeviceFile(at, flags, device);
    }
}
