package dev.jvisor.kernel.loader;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;

/** An executable read through the sandbox's VFS (so through the gofer for the root file system). */
public final class InodeElfSource implements ElfSource {
    private final Task task;
    private final Inode inode;
    private final String path;

    public InodeElfSource(Task task, Inode inode, String path) {
        this.task = task;
        this.inode = inode;
        this.path = path;
    }

    @Override
    public long size() {
        return inode.size(task);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) throws LoaderException {
        int done = 0;
        while (done < len) {
            int n = inode.readBytes(task, offset + done, dst, dstOff + done, len - done);
            if (n <= 0) {
                throw new LoaderException(LoaderException.EIO, path + ": short read at offset " + (offset + done));
            }
            done += n;
        }
    }

    @Override
    public String path() {
        return path;
    }
}
