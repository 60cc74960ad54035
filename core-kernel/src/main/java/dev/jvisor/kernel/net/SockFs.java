package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux's sockfs: the file system every socket's inode belongs to, mounted nowhere. It numbers the
 * sockets (fstat's st_ino, /proc/PID/fd's {@code socket:[INO]}).
 */
public final class SockFs extends FileSystem {
    private final Root root;

    public SockFs(long dev) {
        super(dev);
        root = new Root(this, nextIno());
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

    /** The root of sockfs: an empty directory nobody can reach. */
    public static final class Root extends Inode {
        Root(SockFs fs, long ino) {
            super(fs, ino, FileMode.S_IFDIR | 0555, 0, 0);
        }

        @Override
        public long size(Task t) {
            return 0;
        }

        @Override
        public Inode lookup(Task t, String name) {
            return null;
        }

        @Override
        public List<DirEntry> readdir(Task t) {
            return new ArrayList<>();
        }
    }
}
