package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.net.Cmsg;
import dev.jvisor.kernel.net.IoVec;
import dev.jvisor.kernel.net.RecvMsg;
import dev.jvisor.kernel.net.SendMsg;
import dev.jvisor.kernel.net.SocketFile;

/**
 * Moving data through sockets: sendto(2), recvfrom(2), sendmsg(2), recvmsg(2), sendmmsg(2),
 * recvmmsg(2), with struct msghdr handled as Linux's copy_msghdr_from_user and ____sys_recvmsg do.
 */
final class SysSocketMsg {
    private SysSocketMsg() {}

    /** sizeof(struct msghdr) and sizeof(struct mmsghdr) on x86-64. */
    private static final int MSGHDR = 56, MMSGHDR = 64;

    private static long count(long len) {
        return Long.compareUnsigned(len, MAX_RW) > 0 ? MAX_RW : len;
    }

    /** sendto(2) (send(2) is sendto without an address). */
    static long sendto(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        byte[] name = a.a4 != 0 ? SysSocket.addressIn(t, a.a4, a.a5) : null;
        if (name != null && name.length == 0) {
            name = null;
        }
        IoVec data = IoVec.single(t, a.a1, count(a.a2));
        return s.sendmsg(t, new SendMsg(data, name, null, s.ioFlags((int) a.a3)));
    }

    /** recvfrom(2) (recv(2) is recvfrom without an address). */
    static long recvfrom(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        RecvMsg m = new RecvMsg(IoVec.single(t, a.a1, count(a.a2)), s.ioFlags((int) a.a3), a.a4 != 0, false);
        long n = s.recvmsg(t, m);
        Cmsg.discard(m);
        if (a.a4 != 0) {
            SysSocket.addressOut(t, m.name, a.a4, a.a5);
        }
        return n;
    }

    /** A user struct msghdr, read and checked. */
    private record Header(long name, int namelen, IoVec iov, long control, long controllen) {
        Header withIov(Task t, long iovAddr, long iovlen) {
            return new Header(name, namelen, IoVec.fromUser(t, iovAddr, iovlen, Errno.EMSGSIZE), control, controllen);
        }
    }

    private static Header header(Task t, long addr) {
        byte[] h = t.mm().read(addr, MSGHDR);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long name = b.getLong(0);
        int namelen = b.getInt(8);
        long iov = b.getLong(16);
        long iovlen = b.getLong(24);
        long control = b.getLong(32);
        long controllen = b.getLong(40);
        if (name == 0) {
            namelen = 0;
        }
        if (namelen < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        namelen = Math.min(namelen, SOCKADDR_STORAGE);
        if (Long.compareUnsigned(iovlen, UIO_MAXIOV) > 0) {
            throw new SyscallException(Errno.EMSGSIZE);
        }
        return new Header(name, namelen, null, control, controllen).withIov(t, iov, iovlen);
    }

    private static long sendOne(Task t, SocketFile s, long msgAddr, int flags) {
        Header h = header(t, msgAddr);
        byte[] name = h.namelen > 0 ? t.mm().read(h.name, h.namelen) : null;
        byte[] control = null;
        if (h.controllen != 0) {
            if (Long.compareUnsigned(h.controllen, Integer.MAX_VALUE) > 0 || h.controllen > OPTMEM_MAX) {
                throw new SyscallException(Errno.ENOBUFS);
            }
            control = t.mm().read(h.control, (int) h.controllen);
        }
        return s.sendmsg(t, new SendMsg(h.iov, name, control, s.ioFlags(flags)));
    }

    /** sendmsg(2) */
    static long sendmsg(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        return sendOne(t, s, a.a1, (int) a.a2);
    }

    private static long recvOne(Task t, SocketFile s, long msgAddr, int flags) {
        Header h = header(t, msgAddr);
        RecvMsg m = new RecvMsg(h.iov, s.ioFlags(flags), h.name != 0, h.control != 0);
        long n;
        long used;
        try {
            n = s.recvmsg(t, m);
            used = Cmsg.deliver(t, m, h.control, h.controllen);
        } finally {
            Cmsg.discard(m);
        }
        if (h.name != 0) {
            SysSocket.addressOut(t, m.name, h.name, msgAddr + 8);
        }
        t.mm().writeInt(msgAddr + 48, m.msgFlags);
        t.mm().writeLong(msgAddr + 40, used);
        return n;
    }

    /** recvmsg(2) */
    static long recvmsg(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        int flags = (int) a.a2;
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return recvOne(t, s, a.a1, flags);
    }

    /** sendmmsg(2): at most UIO_MAXIOV messages; an error after the first is not reported. */
    static long sendmmsg(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        int flags = (int) a.a3;
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long vlen = Math.min(a.a2 & 0xffffffffL, UIO_MAXIOV);
        int done = 0;
        while (done < vlen) {
            long entry = a.a1 + (long) MMSGHDR * done;
            long n;
            try {
                Header h = header(t, entry);
                n = sendOne(t, s, entry, flags);
                t.mm().writeInt(entry + 56, (int) n);
                done++;
                if (n < h.iov.total()) {
                    break;
                }
            } catch (SyscallException e) {
                if (done > 0) {
                    break;
                }
                throw e;
            }
        }
        return done;
    }

    /**
     * recvmmsg(2): MSG_WAITFORONE makes the calls after the first non-blocking; the timeout is checked
     * between messages (as Linux does) and its remainder written back; an error after some messages is
     * kept for the next call (unless EAGAIN).
     */
    static long recvmmsg(Task t, SyscallArgs a) {
        SocketFile s = SysSocket.socket(t, a.fd(0));
        int flags = (int) a.a3;
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = 0;
        if (a.a4 != 0) {
            long sec = t.mm().readLong(a.a4);
            long nsec = t.mm().readLong(a.a4 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                throw new SyscallException(Errno.EINVAL);
            }
            end = t.kernel.clock().now() + sec * 1_000_000_000L + nsec;
        }
        long vlen = a.a2 & 0xffffffffL;
        if ((flags & MSG_ERRQUEUE) == 0) {
            int e = s.takePendingError();
            if (e != 0) {
                throw new SyscallException(e);
            }
        }
        int done = 0;
        int error = 0;
        while (done < vlen) {
            long entry = a.a1 + (long) MMSGHDR * done;
            try {
                long n = recvOne(t, s, entry, flags & ~MSG_WAITFORONE);
                t.mm().writeInt(entry + 56, (int) n);
            } catch (SyscallException e) {
                error = e.errno;
                break;
            }
            done++;
            if ((flags & MSG_WAITFORONE) != 0) {
                flags |= MSG_DONTWAIT;
            }
            if (a.a4 != 0) {
                long left = end - t.kernel.clock().now();
                if (left <= 0) {
                    writeTimespec(t, a.a4, 0);
                    break;
                }
                writeTimespec(t, a.a4, left);
            }
        }
        if (error == 0) {
            return done;
        }
        if (done == 0) {
            throw new SyscallException(error);
        }
        if (error != Errno.EAGAIN && error != Errno.ERESTARTSYS) {
            s.recordError(error);
        }
        return done;
    }

    private static void writeTimespec(Task t, long addr, long ns) {
        t.mm().writeLong(addr, ns / 1_000_000_000L);
        t.mm().writeLong(addr + 8, ns % 1_000_000_000L);
    }
}
