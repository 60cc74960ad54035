package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * An open file description: what an fd refers to, with its own offset and status flags. Operations
 * move data between the file and app memory; defaults give the errno Linux gives for an object that
 * does not support them.
 */
public abstract class FileDescription {
    /** O_* status flags (O_APPEND, O_NONBLOCK, access mode). */
    protected int flags;
    /** How many fds, in every fd table, refer to this description. Guarded by the tables. */
    int fdRefs;

    protected FileDescription(int flags) {
        this.flags = flags;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int flags) {
        this.flags = flags;
    }

    /** Reads up to {@code len} bytes into app memory at {@code addr}; returns the count. */
    public long read(Task t, long addr, long len) {
        throw new SyscallException(Errno.EINVAL);
    }

    public long write(Task t, long addr, long len) {
        throw new SyscallException(Errno.EINVAL);
    }

    public long pread(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.ESPIPE);
    }

    public long pwrite(Task t, long addr, long len, long offset) {
        throw new SyscallException(Errno.ESPIPE);
    }

    public long seek(Task t, long offset, int whence) {
        throw new SyscallException(Errno.ESPIPE);
    }

    /** Where in the file tree this was opened, or null (pipes, sockets, host stdio). */
    public Location location() {
        return null;
    }

    public long ioctl(Task t, long request, long arg) {
        throw new SyscallException(Errno.ENOTTY);
    }

    /** Fills {@code struct stat} (144 bytes, x86-64 layout). */
    public abstract byte[] stat(Task t);

    /** What /proc/self/fd and strace show for this file. */
    public abstract String describe();

    /** Called when the last fd referring to this description is closed. */
    public void release() {}
}
