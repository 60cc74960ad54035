package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;

/**
 * Socket constants with their Linux x86-64 values (sys/socket.h, linux/net.h, asm-generic/socket.h,
 * netinet/in.h, netinet/tcp.h), the sysctl defaults the sandbox's network stack reports, and the decoding
 * of shutdown(2)'s argument the socket kinds share.
 */
public final class Sockets {
    private Sockets() {}

    // ---- families and types --------------------------------------------------------------------------
    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;
    /** One past the highest family number (NPROTO): a larger family is EAFNOSUPPORT. */
    public static final int AF_MAX = 46;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4, SOCK_SEQPACKET = 5,
            SOCK_DCCP = 6, SOCK_PACKET = 10, SOCK_MAX = 11, SOCK_TYPE_MASK = 0xf;
    public static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    public static final int IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41,
            IPPROTO_ICMPV6 = 58, IPPROTO_UDPLITE = 136, IPPROTO_MPTCP = 262;

    // ---- message flags ---------------------------------------------------------------------------------
    public static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_DONTROUTE = 4, MSG_CTRUNC = 8, MSG_TRUNC = 0x20,
            MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_CONFIRM = 0x800, MSG_ERRQUEUE = 0x2000,
            MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000, MSG_WAITFORONE = 0x10000, MSG_ZEROCOPY = 0x4000000,
            MSG_FASTOPEN = 0x20000000, MSG_CMSG_CLOEXEC = 0x40000000, MSG_CMSG_COMPAT = 0x80000000;

    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    /** sk_shutdown bits. */
    public static final int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;

    /** shutdown(2)'s {@code how} (SHUT_RD, SHUT_WR, SHUT_RDWR) as sk_shutdown bits; EINVAL for anything else. */
    static int shutdownMode(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new SyscallException(Errno.EINVAL);
        }
        return how + 1;
    }

    // ---- socket-level options ----------------------------------------------------------------------------
    public static final int SOL_SOCKET = 1, SOL_IP = 0, SOL_TCP = 6, SOL_UDP = 17, SOL_IPV6 = 41;
    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10, SO_NO_CHECK = 11,
            SO_PRIORITY = 12, SO_LINGER = 13, SO_BSDCOMPAT = 14, SO_REUSEPORT = 15, SO_PASSCRED = 16,
            SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19, SO_RCVTIMEO_OLD = 20, SO_SNDTIMEO_OLD = 21,
            SO_BINDTODEVICE = 25, SO_PEERNAME = 28, SO_TIMESTAMP_OLD = 29, SO_ACCEPTCONN = 30, SO_PEERSEC = 31,
            SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33, SO_PASSSEC = 34, SO_TIMESTAMPNS_OLD = 35, SO_MARK = 36,
            SO_PROTOCOL = 38, SO_DOMAIN = 39, SO_RXQ_OVFL = 40, SO_PEEK_OFF = 42, SO_BUSY_POLL = 46,
            SO_INCOMING_CPU = 49, SO_COOKIE = 57, SO_ZEROCOPY = 60, SO_BINDTOIFINDEX = 62, SO_TIMESTAMP_NEW = 63,
            SO_TIMESTAMPNS_NEW = 64, SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67, SO_BUF_LOCK = 72, SO_PASSPIDFD = 76;
    public static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /** Most descriptors one SCM_RIGHTS message may carry (SCM_MAX_FD). */
    public static final int SCM_MAX_FD = 253;

    // ---- sysctl defaults (a fresh Linux network namespace) ------------------------------------------------
    public static final int SOMAXCONN = 4096;
    public static final int WMEM_DEFAULT = 212992, RMEM_DEFAULT = 212992, WMEM_MAX = 212992, RMEM_MAX = 212992;
    /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF (2 x / 1 x TCP_SKB_MIN_TRUESIZE on x86-64). */
    public static final int SOCK_MIN_SNDBUF = 4608, SOCK_MIN_RCVBUF = 2304;
    /** net.unix.max_dgram_qlen: a datagram receiver's queue length before senders wait. */
    public static final int UNIX_MAX_DGRAM_QLEN = 10;
    /** net.ipv4.tcp_wmem / tcp_rmem middle values: a TCP socket's initial buffers. */
    public static final int TCP_WMEM_DEFAULT = 16384, TCP_RMEM_DEFAULT = 131072;
    /** net.ipv4.ip_local_port_range. */
    public static final int EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;
    /** net.core.optmem_max: the largest control buffer sendmsg accepts. */
    public static final int OPTMEM_MAX = 131072;
    /** The largest iovec count of a message (UIO_MAXIOV). */
    public static final int UIO_MAXIOV = 1024;
    /** sizeof(struct sockaddr_storage): the largest address a syscall copies in. */
    public static final int SOCKADDR_STORAGE = 128;
    /** MAX_RW_COUNT: longest single transfer. */
    public static final long MAX_RW = 0x7ffff000L;

    // ---- poll bits -----------------------------------------------------------------------------------------
    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
            POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLRDHUP = 0x2000;

    /** sk_state values (include/net/tcp_states.h). */
    public static final int TCP_ESTABLISHED = 1, TCP_SYN_SENT = 2, TCP_CLOSE = 7, TCP_LISTEN = 10;
}
