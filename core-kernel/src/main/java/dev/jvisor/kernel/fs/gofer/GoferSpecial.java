package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.Location;

/**
 * A device node, FIFO or socket file the host has in a bind mount: visible to stat and readdir, never
 * opened (the gofer opens only regular files and directories; a host FIFO or device is not the
 * sandbox's to use), so open(2) is ENXIO.
 */
public final class GoferSpecial extends GoferInode {
    GoferSpecial(GoferFs fs, GoferDir parent, String name, Attr a) {
        super(fs, parent, name, a);
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        throw new SyscallException(Errno.ENXIO);
    }

    @Override
    public long size(Task t) {
        return 0;
    }
}
