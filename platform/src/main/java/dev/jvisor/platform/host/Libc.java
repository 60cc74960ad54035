package dev.jvisor.platform.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Direct JNA bindings to the host C library: the few host calls the Sentry makes for its own
 * operation (memory file, stubs, futexes, stdio). Functions that fail return -1 and leave the host
 * errno in {@link Native#getLastError()}; {@link #check} turns that into an exception.
 */
public final class Libc {
    static {
        Native.register(Libc.class, "c");
    }

    private Libc() {}

    public static final int SYS_MMAP = 9;
    public static final int SYS_KILL = 62;
    public static final int SYS_FUTEX = 202;
    public static final int SYS_TGKILL = 234;
    public static final int SYS_PTRACE = 101;
    public static final int SYS_MEMFD_CREATE = 319;
    public static final int SYS_PIDFD_OPEN = 434;

    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000;
    public static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1;
    public static final int SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    public static final int MFD_CLOEXEC = 1;
    public static final int SIGKILL = 9;
    public static final int WNOHANG = 1, WALL = 0x40000000;
    public static final int EINTR = 4, EAGAIN = 11, ETIMEDOUT = 110, ESRCH = 3, ECHILD = 10;

    public static native long syscall(long nr, long a, long b, long c, long d, long e, long f);

    public static native long mmap(long addr, long len, int prot, int flags, int fd, long off);

    public static native int munmap(long addr, long len);

    public static native int ftruncate(int fd, long len);

    public static native int fallocate(int fd, int mode, long off, long len);

    public static native long lseek(int fd, long off, int whence);

    public static native int close(int fd);

    public static native long read(int fd, long buf, long n);

    public static native long write(int fd, long buf, long n);

    public static native long pread(int fd, long buf, long n, long off);
    public static native long pwrite(int fd, long buf, long n, long off);

    public static native int fstat(int fd, long statbuf);

    public static native int clock_gettime(int clock, long ts);

    public static native long getauxval(long type);

    public static native long memcpy(long dst, long src, long n);

    public static native long memset(long dst, int c, long n);

    public static native int getpid();

    public static native int waitpid(int pid, int[] status, int options);

    public static native int poll(long fds, long nfds, int timeoutMs);

    public static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr,
            Pointer argv, Pointer envp);

    public static native int posix_spawn_file_actions_init(Pointer actions);

    public static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    public static native int posix_spawn_file_actions_destroy(Pointer actions);

    public static native int posix_spawnattr_init(Pointer attr);

    public static native int posix_spawnattr_setflags(Pointer attr, short flags);

    public static native int posix_spawnattr_destroy(Pointer attr);

    public static native int isatty(int fd);

    public static native int ioctl(int fd, long request, long arg);

    public static int errno() {
        return Native.getLastError();
    }

    /** Returns {@code r}, or throws with the host errno when {@code r} is -1. */
    public static long check(long r, String what) {
        if (r == -1) {
            throw new LastErrorException(what + ": host errno " + errno());
        }
        return r;
    }

    /**
     * ptrace(2) through the raw system call (the ptrace platform). Unlike glibc's wrapper, PEEK
     * requests store the word at {@code data} and return 0. Must be called by the tracer thread.
     */
    public static long ptrace(int request, int pid, long addr, long data) {
        return syscall(SYS_PTRACE, request, pid, addr, data, 0, 0);
    }

    public static long memfdCreate(String name, int flags) {
        try (var m = new com.sun.jna.Memory(name.length() + 1)) {
            m.setString(0, name);
            return check(syscall(SYS_MEMFD_CREATE, Pointer.nativeValue(m), flags, 0, 0, 0, 0), "memfd_create");
        }
    }
}
