package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The root of a file system mounted nowhere (pipefs, sockfs): an empty directory nobody can reach,
 * there so that its files have a mount and /proc/PID/fd links lead somewhere.
 */
public final class HiddenRootDir extends Inode {
    public HiddenRootDir(FileSystem fs, long ino, int perm) {
        super(fs, ino, FileMode.S_IFDIR | perm, 0, 0);
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
