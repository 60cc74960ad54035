package dev.jvisor.kernel.vfs;

/** One directory entry as getdents64 returns it. */
public final class DirEntry {
    public final String name;
    public final long ino;
    /** DT_* type. */
    public final int type;

    public DirEntry(String name, long ino, int type) {
        this.name = name;
        this.ino = ino;
        this.type = type;
    }
}
