package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import java.nio.charset.StandardCharsets;

/**
 * A generated procfs file. Its contents are produced by {@link ProcContent} when it is opened (and
 * again after a rewind); stat shows size 0, as on Linux.
 */
public final class ProcFile extends Inode {
    /** What the file shows. */
    public enum Kind {
        // per process or thread
        STATUS, STAT, STATM, MAPS, MOUNTS, MOUNTINFO, CMDLINE, ENVIRON, COMM, AUXV, LIMITS, CGROUP, FDINFO,
        // system-wide
        CPUINFO, MEMINFO, SYS_STAT, UPTIME, LOADAVG, VERSION, FILESYSTEMS,
        // /proc/sys
        HOSTNAME, OSRELEASE, KERNEL_VERSION, BOOT_ID, UUID, TEXT, INOTIFY_WATCHES
    }

    private final Kind kind;
    private final int tgid;
    private final int tid;
    /** The fd of an fdinfo file. */
    private final int fd;
    /** The contents of a TEXT file. */
    private String text;

    ProcFile(ProcFs fs, long ino, Kind kind, int tgid, int tid, int fd, int perm, int uid, int gid) {
        super(fs, ino, FileMode.S_IFREG | perm, uid, gid);
        this.kind = kind;
        this.tgid = tgid;
        this.tid = tid;
        this.fd = fd;
    }

    static ProcFile text(ProcFs fs, String contents) {
        ProcFile f = new ProcFile(fs, fs.nextIno(), Kind.TEXT, 0, 0, 0, 0444, 0, 0);
        f.text = contents;
        return f;
    }

    public Kind kind() {
        return kind;
    }

    int tgid() {
        return tgid;
    }

    int tid() {
        return tid;
    }

    int fd() {
        return fd;
    }

    String text() {
        return text;
    }

    ProcFs procFs() {
        return (ProcFs) fs;
    }

    @Override
    public long size(Task t) {
        return 0;
    }

    @Override
    protected long allocatedBytes(Task t) {
        return 0;
    }

    /** The file's current contents, as {@code t} sees them. */
    public byte[] generate(Task t) {
        return ProcContent.generate(t, this);
    }

    @Override
    public FileDescription open(Task t, Location at, int flags) {
        if ((flags & FileMode.O_TRUNC) != 0 && FileMode.writable(flags)) {
            throw new SyscallException(Errno.EACCES);
        }
        return new ProcFileDescription(at, flags, FileMode.readable(flags) ? generate(t) : new byte[0]);
    }

    @Override
    public int readBytes(Task t, long off, byte[] dst, int dstOff, int len) {
        byte[] b = generate(t);
        if (off >= b.length) {
            return 0;
        }
        int n = (int) Math.min(len, b.length - off);
        System.arraycopy(b, (int) off, dst, dstOff, n);
        return n;
    }

    @Override
    public long read(Task t, long off, long addr, long len) {
        byte[] b = generate(t);
        if (off >= b.length) {
            return 0;
        }
        int n = (int) Math.min(len, b.length - off);
        t.mm().copyOut(addr, b, (int) off, n);
        return n;
    }

    @Override
    public void truncate(Task t, long size) {
        throw new SyscallException(Errno.EACCES);
    }

    @Override
    public void chmod(Task t, int newMode) {
        throw new SyscallException(Errno.EPERM);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
