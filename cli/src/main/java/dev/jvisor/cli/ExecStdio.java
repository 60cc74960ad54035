package dev.jvisor.cli;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.kernel.fs.host.HostStdioFile;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.platform.host.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stdio of a `jvisor exec` caller, taken by the sandbox from the caller's process (the control
 * socket cannot carry fds from Java): pidfd_getfd(2) duplicates the caller's very file descriptions,
 * so a file shares its offset with the caller's shell, as a forked child's would. Where that is not
 * allowed, each is reopened through /proc/PID/fd instead: a pipe, terminal or FIFO is still the
 * caller's own; a regular file is opened with the caller's access mode and O_APPEND, at its offset.
 */
final class ExecStdio {
    private static final int SYS_PIDFD_OPEN = 434, SYS_PIDFD_GETFD = 438, SYS_OPENAT = 257, SYS_FCNTL = 72;
    private static final int AT_FDCWD = -100, F_GETFL = 3, SEEK_SET = 0;
    private static final int O_ACCMODE = 3, O_APPEND = 02000, O_NONBLOCK = 04000, O_CLOEXEC = 02000000, O_NOCTTY = 0400;
    private static final String[] NAMES = {"stdin", "stdout", "stderr"};

    private ExecStdio() {}

    /** fds 0-2 of process {@code pid} as owned streams; on failure none stays open. */
    static FileDescription[] open(long pid) {
        FileDescription[] out = new FileDescription[3];
        long pidfd = Libc.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
        try {
            for (int fd = 0; fd < 3; fd++) {
                out[fd] = pidfd >= 0 ? duplicate(pid, (int) pidfd, fd) : open(pid, fd);
            }
            return out;
        } catch (RuntimeException e) {
            release(out);
            throw e;
        } finally {
            if (pidfd >= 0) {
                Libc.close((int) pidfd);
            }
        }
    }

    private static HostStdioFile duplicate(long pid, int pidfd, int fd) {
        long hostFd = Libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0, 0, 0, 0);
        if (hostFd < 0) {
            return open(pid, fd);
        }
        int flags = (int) Libc.syscall(SYS_FCNTL, hostFd, F_GETFL, 0, 0, 0, 0);
        return HostStdioFile.owning((int) hostFd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    }

    static void release(FileDescription[] stdio) {
        for (FileDescription f : stdio) {
            if (f != null) {
                f.release();
            }
        }
    }

    private static HostStdioFile open(long pid, int fd) {
        Path link = Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd));
        int flags;
        long pos;
        try {
            String info = Files.readString(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd)));
            flags = Integer.parseInt(field(info, "flags"), 8);
            pos = Long.parseLong(field(info, "pos"));
        } catch (IOException | RuntimeException e) {
            throw new BundleException("cannot exec: the caller has no " + NAMES[fd]);
        }
        int open = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK)) | O_CLOEXEC | O_NOCTTY;
        long hostFd;
        byte[] path = (link + "\0").getBytes(StandardCharsets.UTF_8);
        try (Memory m = new Memory(path.length)) {
            m.write(0, path, 0, path.length);
            hostFd = Libc.syscall(SYS_OPENAT, AT_FDCWD, Pointer.nativeValue(m), open, 0, 0, 0);
        }
        if (hostFd < 0) {
            throw new BundleException("cannot exec: the caller's " + NAMES[fd] + " cannot be passed to the sandbox ("
                    + describe(link) + "); use a pipe, a terminal or a file");
        }
        if ((flags & O_APPEND) == 0 && pos > 0) {
            // A regular file: write (or read) on from where the caller is, as a shared offset would.
            Libc.lseek((int) hostFd, pos, SEEK_SET);
        }
        return HostStdioFile.owning((int) hostFd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    }

    private static String field(String fdinfo, String name) {
        for (String line : fdinfo.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalArgumentException("no " + name);
    }

    private static String describe(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return link.toString();
        }
    }
}
