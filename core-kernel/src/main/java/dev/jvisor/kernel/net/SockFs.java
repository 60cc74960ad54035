package dev.jvisor.kernel.net;

import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.HiddenRootDir;
import dev.jvisor.kernel.vfs.Inode;

/**
 * Linux's sockfs: the file system every socket's inode belongs to, mounted nowhere. It numbers the
 * sockets (fstat's st_ino, /proc/PID/fd's {@code socket:[INO]}).
 */
public final class SockFs extends FileSystem {
    private final HiddenRootDir root;

    public SockFs(long dev) {
        super(dev);
        root = new HiddenRootDir(this, nextIno(), 0555);
    }

    @Override
    public String type() {
        return "sockfs";
    }

    @Override
    public long magic() {
        return 0x534F434BL; // SOCKFS_MAGIC
    }

    @Override
    public Inode root() {
        return root;
    }
}
