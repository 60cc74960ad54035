package dev.jvisor.kernel.fs.tmpfs;

import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.platform.MemoryFile;

/**
 * An in-memory file system (tmpfs): directories and symlinks as objects, file contents in the
 * sandbox's memory file. Everything in it is part of the kernel graph.
 */
public class MemFs extends FileSystem {
    private final MemoryFile memory;
    private final String type;
    private MemDir root;

    public MemFs(long dev, MemoryFile memory, String type, int rootMode) {
        super(dev);
        this.memory = memory;
        this.type = type;
        this.root = new MemDir(this, nextIno(), rootMode, 0, 0);
    }

    public MemoryFile memory() {
        return memory;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public long magic() {
        return 0x01021994L; // TMPFS_MAGIC
    }

    @Override
    public Inode root() {
        return root;
    }

    protected void setRoot(MemDir root) {
        this.root = root;
    }
}
