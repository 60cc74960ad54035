package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/** A symbolic link of an in-memory file system. */
public class MemSymlink extends Inode {
    private final String target;

    public MemSymlink(MemFs fs, long ino, String target, int uid, int gid) {
        super(fs, ino, FileMode.S_IFLNK | 0777, uid, gid);
        this.target = target;
    }

    @Override
    public long size(Task t) {
        return target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Override
    public String readlink(Task t) {
        return target;
    }
}
