package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Ancillary data (cmsg(3)): parsing what sendmsg passes in msg_control as Linux's __scm_send and
 * ip_cmsg_send do, and writing what recvmsg delivers as put_cmsg and scm_detach_fds do (with their
 * truncation rules and MSG_CTRUNC).
 */
public final class Cmsg {
    private Cmsg() {}

    /** sizeof(struct cmsghdr): size_t cmsg_len, int cmsg_level, int cmsg_type. */
    static final int HDR = 16;

    static int align(int n) {
        return (n + 7) & ~7;
    }

    static int len(int data) {
        return HDR + data;
    }

    static int space(int data) {
        return HDR + align(data);
    }

    /** The SOL_SOCKET ancillary data of a unix-socket send. */
    static final class UnixControl {
        /** SCM_RIGHTS descriptors, each with a reference this object holds until it is queued or dropped. */
        FileDescription[] rights;
        /** SCM_CREDENTIALS as the sender gave them (checked), or null. */
        Ucred creds;

        /** Drops the references of a message that was not sent. */
        void drop(Effects fx) {
            fx.drop(rights);
            rights = null;
        }
    }

    /** One cmsghdr walk step: header fields and where the data is. */
    private record Header(long len, int level, int type, int dataOff) {}

    /** Walks the control buffer with CMSG_FIRSTHDR/CMSG_NXTHDR; a header that does not fit is EINVAL (CMSG_OK). */
    private static List<Header> headers(byte[] c) {
        List<Header> out = new ArrayList<>();
        int off = 0;
        while (c.length - off >= HDR) {
            long len = Bytes.getLong(c, off);
            if (len < HDR || len > c.length - off) {
                throw new SyscallException(Errno.EINVAL);
            }
            out.add(new Header(len, Bytes.getInt(c, off + 8), Bytes.getInt(c, off + 12), off + HDR));
            long next = off + ((len + 7) & ~7L);
            if (next + HDR > c.length) {
                break;
            }
            off = (int) next;
        }
        return out;
    }

    /** __scm_send for AF_UNIX: SCM_RIGHTS (EBADF, at most SCM_MAX_FD) and SCM_CREDENTIALS (EINVAL, EPERM, ESRCH). */
    static UnixControl parseUnix(Task t, byte[] c) {
        UnixControl uc = new UnixControl();
        if (c == null || c.length == 0) {
            return uc;
        }
        List<FileDescription> fds = new ArrayList<>();
        try {
            for (Header h : headers(c)) {
                if (h.level != SOL_SOCKET) {
                    continue;
                }
                if (h.type == SCM_RIGHTS) {
                    int n = (int) ((h.len - HDR) / 4);
                    if (n <= 0) {
                        continue;
                    }
                    if (fds.size() + n > SCM_MAX_FD) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    for (int i = 0; i < n; i++) {
                        FileDescription f = t.fds().get(Bytes.getInt(c, h.dataOff + 4 * i));
                        dev.jvisor.kernel.vfs.FdTable.hold(f);
                        fds.add(f);
                    }
                } else if (h.type == SCM_CREDENTIALS) {
                    if (h.len != len(12)) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    uc.creds = checkCreds(t, new Ucred(Bytes.getInt(c, h.dataOff), Bytes.getInt(c, h.dataOff + 4),
                            Bytes.getInt(c, h.dataOff + 8)));
                } else {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
        } catch (SyscallException e) {
            for (FileDescription f : fds) {
                FdTable.unref(f);
            }
            throw e;
        }
        uc.rights = fds.isEmpty() ? null : fds.toArray(new FileDescription[0]);
        return uc;
    }

    /** scm_check_creds: your own pid, uid and gid (any for root), of a process that exists. */
    private static Ucred checkCreds(Task t, Ucred u) {
        var c = t.threadGroup().creds;
        if (u.uid == -1 || u.gid == -1) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean admin = c.euid == 0;
        boolean pidOk = u.pid == t.threadGroup().tgid || admin;
        boolean uidOk = u.uid == c.uid || u.uid == c.euid || u.uid == c.suid || admin;
        boolean gidOk = u.gid == c.gid || u.gid == c.egid || u.gid == c.sgid || admin;
        if (!pidOk || !uidOk || !gidOk) {
            throw new SyscallException(Errno.EPERM);
        }
        if (u.pid != t.threadGroup().tgid) {
            boolean exists = false;
            for (Task o : t.kernel.tasks()) {
                if (o.threadGroup().tgid == u.pid) {
                    exists = true;
                    break;
                }
            }
            if (!exists) {
                throw new SyscallException(Errno.ESRCH);
            }
        }
        return u;
    }

    /**
     * ip_cmsg_send/sock_cmsg_send for inet sockets: SOL_SOCKET messages this stack has none of are EINVAL
     * (so SCM_RIGHTS is EINVAL, as on Linux); IP-level ones for UDP are checked and otherwise ignored.
     */
    static void parseInet(byte[] c, boolean udp) {
        if (c == null || c.length == 0) {
            return;
        }
        for (Header h : headers(c)) {
            if (h.level == SOL_SOCKET) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (!udp || (h.level != SOL_IP && h.level != SOL_IPV6)) {
                continue;
            }
            // IP_TTL, IP_TOS, IP_PKTINFO... a loopback stack has nothing to do with them.
        }
    }

    /** Drops what a receive carried when the caller took no control data (read, recv). */
    public static void discard(RecvMsg m) {
        if (m.rights != null) {
            for (FileDescription f : m.rights) {
                FdTable.unref(f);
            }
            m.rights = null;
        }
    }

    /**
     * Writes the ancillary data of {@code m} to the control buffer at {@code addr} of {@code len} bytes
     * and returns how much of it was used (the new msg_controllen); sets MSG_CTRUNC as Linux does and
     * installs received descriptors (O_CLOEXEC with MSG_CMSG_CLOEXEC), dropping those that do not fit.
     */
    public static long deliver(Task t, RecvMsg m, long addr, long len) {
        try {
            if (addr == 0) {
                if (m.creds != null || m.rights != null) {
                    m.msgFlags |= MSG_CTRUNC;
                }
                return 0;
            }
            long used = 0;
            if (m.creds != null) {
                used += put(t, m, addr + used, len - used, SOL_SOCKET, SCM_CREDENTIALS, m.creds.bytes());
            }
            if (m.rights != null) {
                used += rights(t, m, addr + used, len - used);
            }
            return used;
        } finally {
            discard(m);
        }
    }

    /** put_cmsg: one message, cut to the space left (MSG_CTRUNC); nothing at all below a header's size. */
    private static long put(Task t, RecvMsg m, long addr, long left, int level, int type, byte[] data) {
        if (left < HDR) {
            m.msgFlags |= MSG_CTRUNC;
            return 0;
        }
        int cmlen = len(data.length);
        if (left < cmlen) {
            m.msgFlags |= MSG_CTRUNC;
            cmlen = (int) left;
        }
        byte[] b = new byte[cmlen];
        Bytes.putLong(b, 0, cmlen);
        Bytes.putInt(b, 8, level);
        Bytes.putInt(b, 12, type);
        System.arraycopy(data, 0, b, HDR, cmlen - HDR);
        t.mm().copyOut(addr, b, 0, cmlen);
        return Math.min(space(data.length), left);
    }

    /** scm_detach_fds: installs as many descriptors as fit, in order; the rest are closed. */
    private static long rights(Task t, RecvMsg m, long addr, long left) {
        FileDescription[] fds = m.rights;
        int fit = left > HDR ? (int) Math.min((left - HDR) / 4, fds.length) : 0;
        boolean cloexec = (m.flags & MSG_CMSG_CLOEXEC) != 0;
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        int[] installed = new int[fit];
        int i = 0;
        for (; i < fit; i++) {
            try {
                installed[i] = t.fds().install(fds[i], 0, cloexec, limit);
            } catch (SyscallException e) {
                break;
            }
        }
        long used = 0;
        if (i > 0) {
            byte[] b = new byte[HDR + 4 * i];
            Bytes.putLong(b, 0, len(4 * i));
            Bytes.putInt(b, 8, SOL_SOCKET);
            Bytes.putInt(b, 12, SCM_RIGHTS);
            for (int k = 0; k < i; k++) {
                Bytes.putInt(b, HDR + 4 * k, installed[k]);
            }
            t.mm().copyOut(addr, b, 0, b.length);
            used = Math.min(space(4 * i), left);
        }
        if (i < fds.length) {
            m.msgFlags |= MSG_CTRUNC;
        }
        return used;
    }
}
