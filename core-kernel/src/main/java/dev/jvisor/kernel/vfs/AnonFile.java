package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file description on Linux's anonymous inode (eventfd, epoll, timerfd): it has no place in the
 * file tree; /proc/PID/fd shows {@code anon_inode:[NAME]}, and fstat shows the one shared anon inode
 * (mode 0600 without a file type, as Linux reports it). lseek is a no-op returning 0 (noop_llseek).
 */
public abstract class AnonFile extends FileDescription {
    /** The anon inode's device (anon_inodefs, an unnamed 0:N device) and inode number: fixed. */
    private static final long ANON_DEV = 0x10, ANON_INO = 1;

    protected AnonFile(int flags) {
        super(flags);
    }

    /** The name in brackets: "eventfd", "eventpoll", "timerfd". */
    protected abstract String anonName();

    @Override
    public long seek(Task t, long offset, int whence) {
        return 0;
    }

    @Override
    public byte[] stat(Task t) {
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, ANON_DEV);
        b.putLong(8, ANON_INO);
        b.putLong(16, 1); // st_nlink
        b.putInt(24, 0600); // st_mode
        b.putInt(28, 0); // st_uid
        b.putInt(32, 0); // st_gid
        b.putLong(56, 4096); // st_blksize
        return b.array();
    }

    @Override
    public String describe() {
        return "anon_inode:[" + anonName() + "]";
    }
}
