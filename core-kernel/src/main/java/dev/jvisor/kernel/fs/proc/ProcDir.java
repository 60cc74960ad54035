package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.DirEntry;
import dev.jvisor.kernel.vfs.DirectoryDescription;
import dev.jvisor.kernel.vfs.DynamicDirectory;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import java.util.ArrayList;
import java.util.List;

/** A procfs directory: its entries are computed on every lookup and listing. */
public abstract class ProcDir extends Inode implements DynamicDirectory {
    ProcDir(ProcFs fs, long ino, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFDIR | perm, uid, gid);
        nlink = 2;
    }

    ProcFs procFs() {
        return (ProcFs) fs;
    }

    /** The entry names, in listing order. */
    abstract List<String> names(Task t);

    /** The entry called {@code name}, or null. */
    abstract Inode child(Task t, String name);

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    public Inode lookup(Task t, String name) {
        return child(t, name);
    }

    @Override
    public List<DirEntry> readdir(Task t) {
        List<DirEntry> out = new ArrayList<>();
        for (String name : names(t)) {
            Inode c = child(t, name);
            if (c != null) {
                out.add(new DirEntry(name, c.ino(), FileMode.dtype(c.mode())));
            }
        }
        return out;
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        if (FileMode.writable(flags)) {
            throw new SyscallException(Errno.EISDIR);
        }
        return new DirectoryDescription(at, flags);
    }

    @Override
    public Inode create(Task t, String name, int mode) {
        throw new SyscallException(Errno.EACCES);
    }

    @Override
    public Inode mkdir(Task t, String name, int mode) {
        throw new SyscallException(Errno.EACCES);
    }

    @Override
    public void unlink(Task t, String name, boolean dir) {
        throw new SyscallException(Errno.EACCES);
    }

    @Override
    public void chmod(Task t, int newMode) {
        throw new SyscallException(Errno.EPERM);
    }
}
