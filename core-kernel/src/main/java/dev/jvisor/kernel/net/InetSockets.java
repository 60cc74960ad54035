package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * socket(2) for AF_INET and AF_INET6, as Linux's inet_create/inet6_create match type and protocol:
 * TCP for SOCK_STREAM, UDP for SOCK_DGRAM. ICMP "ping" sockets are EACCES (the default
 * net.ipv4.ping_group_range admits nobody); raw sockets are not in stage 1 (EPERM without root,
 * else EPROTONOSUPPORT); types with no protocol are ESOCKTNOSUPPORT.
 */
final class InetSockets {
    private InetSockets() {}

    static SocketFile create(NetStack stack, Task t, int family, int type, int protocol) {
        InetSocket.checkProtocolRange(protocol);
        switch (type) {
            case SOCK_STREAM -> {
                if (protocol == 0 || protocol == IPPROTO_TCP) {
                    return new TcpSocket(stack, t, family, IPPROTO_TCP);
                }
                throw new SyscallException(Errno.EPROTONOSUPPORT);
            }
            case SOCK_DGRAM -> {
                if (protocol == 0 || protocol == IPPROTO_UDP) {
                    return new UdpSocket(stack, t, family);
                }
                if (protocol == (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) {
                    throw new SyscallException(Errno.EACCES);
                }
                throw new SyscallException(Errno.EPROTONOSUPPORT);
            }
            case SOCK_RAW -> {
                throw new SyscallException(t.threadGroup().creds.euid == 0 ? Errno.EPROTONOSUPPORT : Errno.EPERM);
            }
            default -> throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        }
    }
}
