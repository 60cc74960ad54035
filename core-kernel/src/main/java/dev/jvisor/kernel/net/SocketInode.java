package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;

/** A socket's inode in sockfs: what fstat on a socket shows (S_IFSOCK, mode 0777, the creator as owner). */
public final class SocketInode extends Inode {
    SocketInode(SockFs fs, int uid, int gid) {
        super(fs, fs.nextIno(), FileMode.S_IFSOCK | 0777, uid, gid);
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return 0;
    }
}
