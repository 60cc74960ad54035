package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import java.util.ArrayList;
import java.util.List;

/** A process's file descriptor table: fd number to open file description, with close-on-exec bits. */
public final class FdTable {
    private final List<FileDescription> files = new ArrayList<>();
    private final List<Boolean> cloexec = new ArrayList<>();

    public FileDescription get(int fd) {
        if (fd < 0 || fd >= files.size() || files.get(fd) == null) {
            throw new SyscallException(Errno.EBADF);
        }
        return files.get(fd);
    }

    /** Installs at the lowest free fd at or above {@code min}. */
    public int install(FileDescription f, int min, boolean closeOnExec, long limit) {
        for (int fd = min; ; fd++) {
            if (fd >= limit) {
                throw new SyscallException(Errno.EMFILE);
            }
            if (fd >= files.size() || files.get(fd) == null) {
                set(fd, f, closeOnExec);
                return fd;
            }
        }
    }

    public void set(int fd, FileDescription f, boolean closeOnExec) {
        while (files.size() <= fd) {
            files.add(null);
            cloexec.add(false);
        }
        files.set(fd, f);
        cloexec.set(fd, closeOnExec);
    }

    public int highestFd() {
        return files.size() - 1;
    }

    public boolean isOpen(int fd) {
        return fd >= 0 && fd < files.size() && files.get(fd) != null;
    }

    /** Open descriptions with their fd numbers (procfs, checkpoint checks). */
    public java.util.Map<Integer, FileDescription> snapshot() {
        java.util.Map<Integer, FileDescription> m = new java.util.TreeMap<>();
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) != null) {
                m.put(fd, files.get(fd));
            }
        }
        return m;
    }

    public boolean closeOnExec(int fd) {
        get(fd);
        return cloexec.get(fd);
    }

    public void setCloseOnExec(int fd, boolean on) {
        get(fd);
        cloexec.set(fd, on);
    }

    public void close(int fd) {
        FileDescription f = get(fd);
        files.set(fd, null);
        cloexec.set(fd, false);
        if (!files.contains(f)) {
            Location l = f.location();
            FileLocks locks = l != null ? l.inode().existingLocks() : null;
            if (locks != null) {
                locks.release(f);
            }
            f.release();
        }
    }

    public void closeAll() {
        for (int fd = 0; fd < files.size(); fd++) {
            if (files.get(fd) != null) {
                close(fd);
            }
        }
    }
}
