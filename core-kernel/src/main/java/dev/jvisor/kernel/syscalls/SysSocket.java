package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.net.SocketFile;
import dev.jvisor.kernel.net.UnixSocket;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;

/**
 * Socket setup and control: socket(2), socketpair(2), bind(2), listen(2), accept(2)/accept4(2),
 * connect(2), getsockname(2), getpeername(2), shutdown(2), setsockopt(2), getsockopt(2), with the
 * argument handling of Linux's net/socket.c (move_addr_to_kernel/user, the SOCK_* flags).
 */
final class SysSocket {
    private SysSocket() {}

    /** The socket behind {@code fd}: EBADF, then ENOTSOCK. */
    static SocketFile socket(Task t, int fd) {
        FileDescription f = t.fds().get(fd);
        if (!(f instanceof SocketFile s)) {
            throw new SyscallException(Errno.ENOTSOCK);
        }
        return s;
    }

    /** move_addr_to_kernel: a length outside 0..sizeof(sockaddr_storage) is EINVAL; 0 is an empty address. */
    static byte[] addressIn(Task t, long addr, long len) {
        int n = (int) len;
        if (n < 0 || n > SOCKADDR_STORAGE) {
            throw new SyscallException(Errno.EINVAL);
        }
        return n == 0 ? new byte[0] : t.mm().read(addr, n);
    }

    /**
     * move_addr_to_user: copies at most *ulen bytes of the address and stores its real length in *ulen
     * ("the value before truncation"); a negative *ulen is EINVAL.
     */
    static void addressOut(Task t, byte[] a, long uaddr, long ulen) {
        int len = t.mm().readInt(ulen);
        int klen = a == null ? 0 : a.length;
        if (len > klen) {
            len = klen;
        }
        if (len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (len > 0) {
            t.mm().copyOut(uaddr, a, 0, len);
        }
        t.mm().writeInt(ulen, klen);
    }

    private static long limit(Task t) {
        return t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
    }

    private static int install(Task t, SocketFile s, boolean cloexec) {
        try {
            return t.fds().install(s, 0, cloexec, limit(t));
        } catch (SyscallException e) {
            s.release();
            throw e;
        }
    }

    /** The SOCK_NONBLOCK / SOCK_CLOEXEC bits of a type or flags argument; any other bit is EINVAL. */
    private static int typeFlags(long v) {
        int flags = (int) v & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return flags;
    }

    private static int fileFlags(int sockFlags) {
        return FileMode.O_RDWR | ((sockFlags & SOCK_NONBLOCK) != 0 ? FileMode.O_NONBLOCK : 0);
    }

    /** socket(2) */
    static long socket(Task t, SyscallArgs a) {
        int flags = typeFlags(a.a1);
        SocketFile s = t.kernel.net().socket(t, (int) a.a0, (int) a.a1 & SOCK_TYPE_MASK, (int) a.a2);
        s.setFlags(fileFlags(flags));
        return install(t, s, (flags & SOCK_CLOEXEC) != 0);
    }

    /** socketpair(2): AF_UNIX only (other families' sockets are EOPNOTSUPP, as sock_no_socketpair). */
    static long socketpair(Task t, SyscallArgs a) {
        int flags = typeFlags(a.a1);
        int type = (int) a.a1 & SOCK_TYPE_MASK;
        // Linux stores the descriptors before creating the sockets, so a bad pointer is EFAULT first.
        byte[] probe = t.mm().read(a.a3, 8);
        t.mm().copyOut(a.a3, probe, 0, 8);
        SocketFile[] pair;
        if ((int) a.a0 == AF_UNIX) {
            pair = UnixSocket.pair(t.kernel.net(), t, type, (int) a.a2);
        } else {
            SocketFile x = t.kernel.net().socket(t, (int) a.a0, type, (int) a.a2);
            x.release();
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        boolean cloexec = (flags & SOCK_CLOEXEC) != 0;
        pair[0].setFlags(fileFlags(flags));
        pair[1].setFlags(fileFlags(flags));
        FdTable fds = t.fds();
        int fd0;
        try {
            fd0 = fds.install(pair[0], 0, cloexec, limit(t));
        } catch (SyscallException e) {
            pair[0].release();
            pair[1].release();
            throw e;
        }
        int fd1;
        try {
            fd1 = fds.install(pair[1], 0, cloexec, limit(t));
        } catch (SyscallException e) {
            fds.close(fd0);
            pair[1].release();
            throw e;
        }
        t.mm().writeInt(a.a3, fd0);
        t.mm().writeInt(a.a3 + 4, fd1);
        return 0;
    }

    /** bind(2) */
    static long bind(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        s.bind(t, addressIn(t, a.a1, a.a2));
        return 0;
    }

    /** listen(2): a backlog above net.core.somaxconn (or negative) is somaxconn. */
    static long listen(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        int backlog = (int) a.a1;
        if (Integer.compareUnsigned(backlog, SOMAXCONN) > 0) {
            backlog = SOMAXCONN;
        }
        s.listen(t, backlog);
        return 0;
    }

    /** accept(2) */
    static long accept(Task t, SyscallArgs a) {
        return doAccept(t, a.fd(0), a.a1, a.a2, 0);
    }

    /** accept4(2): SOCK_NONBLOCK and SOCK_CLOEXEC for the new descriptor. */
    static long accept4(Task t, SyscallArgs a) {
        int flags = (int) a.a3;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return doAccept(t, a.fd(0), a.a1, a.a2, flags);
    }

    private static long doAccept(Task t, int fd, long addr, long addrLen, int flags) {
        SocketFile s = socket(t, fd);
        SocketFile n = s.accept(t, s.nonblocking(), (flags & SOCK_NONBLOCK) != 0 ? FileMode.O_NONBLOCK : 0);
        if (addr != 0) {
            byte[] peer;
            try {
                peer = n.acceptPeerName(t);
            } catch (SyscallException e) {
                n.release();
                throw new SyscallException(Errno.ECONNABORTED);
            }
            try {
                addressOut(t, peer, addr, addrLen);
            } catch (SyscallException e) {
                n.release();
                throw e;
            }
        }
        return install(t, n, (flags & SOCK_CLOEXEC) != 0);
    }

    /** connect(2) */
    static long connect(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        s.connect(t, addressIn(t, a.a1, a.a2));
        return 0;
    }

    /** getsockname(2) */
    static long getsockname(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        addressOut(t, s.getsockname(t), a.a1, a.a2);
        return 0;
    }

    /** getpeername(2) */
    static long getpeername(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        addressOut(t, s.getpeername(t), a.a1, a.a2);
        return 0;
    }

    /** shutdown(2) */
    static long shutdown(Task t, SyscallArgs a) {
        socket(t, a.fd(0)).shutdown(t, (int) a.a1);
        return 0;
    }

    /** setsockopt(2) */
    static long setsockopt(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        int len = (int) a.a4;
        if (len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        s.setsockopt(t, (int) a.a1, (int) a.a2, new SocketFile.OptVal(t, a.a3, len));
        return 0;
    }

    /** getsockopt(2): copies at most *optlen bytes and stores how many in *optlen. */
    static long getsockopt(Task t, SyscallArgs a) {
        SocketFile s = socket(t, a.fd(0));
        int len = t.mm().readInt(a.a4);
        if (len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] v = s.getsockopt(t, (int) a.a1, (int) a.a2, len);
        if (v.length > 0) {
            t.mm().copyOut(a.a3, v, 0, v.length);
        }
        t.mm().writeInt(a.a4, v.length);
        return 0;
    }
}
