package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** An O_PATH file descriptor: names a location for *at calls and fstat, allows no I/O. */
public final class PathDescription extends LocatedDescription {

    public PathDescription(Location location, int flags) {
        super(location, flags);
    }


    @Override
    public long read(Task t, long addr, long len) {
        throw new SyscallException(Errno.EBADF);
    }

    @Override
    public long write(Task t, long addr, long len) {
        throw new SyscallException(Errno.EBADF);
    }


    /** O_PATH descriptors are not files to poll (poll: POLLNVAL, select and epoll: EBADF). */
    @Override
    public boolean pollable() {
        return false;
    }

    @Override
    public String describe() {
        return "path inode " + location().inode().ino();
    }
}
