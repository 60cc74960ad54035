package dev.jvisor.kernel.fs.host;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;

/**
 * What /proc/PID/fd/N leads to when fd N is one of the host stdio streams: opening it (as
 * {@code /dev/stdout} does) gives a new description of the same host fd, as reopening a terminal
 * or pipe does on Linux. A host file behind it is never truncated (it is shown as a device).
 */
public final class HostStdioNode extends Inode {
    private final int hostFd;

    public HostStdioNode(FileSystem fs, long ino, int hostFd) {
        super(fs, ino, FileMode.S_IFCHR | 0666, 0, 0);
        this.hostFd = hostFd;
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        return new HostStdioFile(hostFd, flags);
    }

    @Override
    public byte[] stat(Task t) {
        return new HostStdioFile(hostFd, 0).stat(t);
    }
}
