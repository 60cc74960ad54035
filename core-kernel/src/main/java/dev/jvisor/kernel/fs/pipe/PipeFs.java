package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Dentry;
import dev.jvisor.kernel.vfs.FileSystem;
import dev.jvisor.kernel.vfs.HiddenRootDir;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Mount;

/**
 * Linux's pipefs: the file system anonymous pipes' inodes belong to. It is mounted nowhere; its
 * one mount exists so that /proc/PID/fd/N of a pipe can lead somewhere (reopening a pipe by that
 * link works as on Linux). One per kernel ({@code Kernel.pipeFs()}), so pipe inode numbers are
 * distinct across the sandbox.
 */
public final class PipeFs extends FileSystem {
    private final HiddenRootDir root;
    private final Mount mount;

    public PipeFs(long dev) {
        super(dev);
        root = new HiddenRootDir(this, nextIno(), 0500);
        mount = new Mount(this, new Dentry("/", null, root), null, null, false, "pipefs");
    }

    @Override
    public String type() {
        return "pipefs";
    }

    @Override
    public long magic() {
        return 0x50495045L; // PIPEFS_MAGIC
    }

    @Override
    public Inode root() {
        return root;
    }

    Mount mount() {
        return mount;
    }

    /** A new anonymous pipe owned by the caller, with one reader and one writer. */
    public PipeInode newPipe(Task t) {
        int uid = t == null ? 0 : t.threadGroup().creds.fsuid;
        int gid = t == null ? 0 : t.threadGroup().creds.fsgid;
        Pipe p = new Pipe();
        p.openBoth();
        return new PipeInode(this, nextIno(), p, uid, gid);
    }
}
