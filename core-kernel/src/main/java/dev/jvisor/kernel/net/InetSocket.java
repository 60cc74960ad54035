package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/**
 * What AF_INET and AF_INET6 sockets share (Linux's inet_sock / ipv6_pinfo): the local and remote
 * address and port, binding with Linux's checks (only the loopback network exists: 127.0.0.0/8, ::1
 * and the wildcards; an IPv6 socket takes IPv4-mapped addresses unless IPV6_V6ONLY), ephemeral ports,
 * the names getsockname/getpeername report, and the IPPROTO_IP / IPPROTO_IPV6 options.
 */
abstract class InetSocket extends SocketFile {
    private static final int IPPROTO_MAX = 263;

    boolean v6only;
    /** The bound address in IPv6 form (the wildcard of the family until bound or connected). */
    byte[] localAddr;
    /** The bound port; 0 while unbound (Linux's inet_num). */
    int localPort;
    /** SOCK_BINDADDR_LOCK / SOCK_BINDPORT_LOCK: bound explicitly to an address / a port. */
    boolean bindAddrLocked, bindPortLocked;
    byte[] remoteAddr;
    /** The peer's port; 0 while not connected. */
    int remotePort;
    /** Closed (the last descriptor is gone). */
    boolean dead;
    /** A closed TCP connection still holding its port until then (monotonic ns), else 0. */
    long lingerUntil;

    // IPPROTO_IP options
    int tos;
    int ttl = -1;
    int mtuDiscover = 1; // IP_PMTUDISC_WANT
    int mcastTtl = 1;
    boolean mcastLoop = true, mcastAll = true;
    boolean recvTos, pktInfo, recvTtl, recvErr, recvOpts, retOpts, freebind, transparent, bindNoPort, recvOrigDst,
            nodefrag, hdrincl;
    int minTtl;
    // IPPROTO_IPV6 options
    int tclass;
    int unicastHops = -1;
    int mcastHops = 1;
    boolean mcastLoop6 = true;
    int mtuDiscover6;
    boolean recvPktInfo6, recvTclass6, recvHopLimit6, recvErr6, autoFlowLabel = true, freebind6, transparent6,
            dontFrag;

    InetSocket(NetStack stack, Task t, int family, int type, int protocol, int sndbuf, int rcvbuf) {
        super(stack, t, family, type, protocol, sndbuf, rcvbuf);
        localAddr = family == AF_INET ? InetAddr.ANY4 : InetAddr.ANY6;
    }

    abstract InetPorts ports();

    abstract boolean tcp();

    /** The sk_state Linux would show (TCP_CLOSE while unconnected). */
    abstract int skState();

    @Override
    boolean takesPassCred() {
        return false;
    }

    // ---- addresses --------------------------------------------------------------------------------------

    /** A parsed destination or bind address: IPv6 form and port. */
    record Endpoint(byte[] addr, int port) {}

    /**
     * The destination of connect/sendto for this socket's family: EINVAL if too short, EAFNOSUPPORT for
     * another family (an IPv6 socket also takes sockaddr_in where Linux does: {@code v4ok}).
     */
    Endpoint destination(byte[] sa, boolean v4ok) {
        if (family == AF_INET) {
            if (sa.length < 16) {
                throw new SyscallException(Errno.EINVAL);
            }
            int fam = Bytes.getShort(sa, 0);
            if (fam != AF_INET && fam != AF_UNSPEC) {
                throw new SyscallException(Errno.EAFNOSUPPORT);
            }
            return new Endpoint(InetAddr.fromSockaddrIn(sa), Bytes.getPort(sa, 2));
        }
        int fam = sa.length >= 2 ? Bytes.getShort(sa, 0) : -1;
        if (v4ok && fam == AF_INET) {
            if (sa.length < 16) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (v6only) {
                throw new SyscallException(Errno.ENETUNREACH);
            }
            return new Endpoint(InetAddr.fromSockaddrIn(sa), Bytes.getPort(sa, 2));
        }
        if (sa.length < 24) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (fam != AF_INET6) {
            throw new SyscallException(Errno.EAFNOSUPPORT);
        }
        byte[] a = InetAddr.fromSockaddrIn6(sa);
        if (InetAddr.isAny6(a)) {
            // connect() to in6addr_any means loopback (a BSDism Linux keeps)
            a = InetAddr.isMapped(localAddr) && !InetAddr.isAny6(localAddr) ? InetAddr.LOOPBACK4 : InetAddr.LOOPBACK6;
        }
        if (InetAddr.isMapped(a) && v6only) {
            throw new SyscallException(Errno.ENETUNREACH);
        }
        return new Endpoint(a, Bytes.getPort(sa, 2));
    }

    /**
     * Where a packet to {@code a} goes: the loopback network only; 0.0.0.0 is the local host (Linux
     * routes it to the bound address or 127.0.0.1). Anything else has no route: ENETUNREACH.
     */
    byte[] route(byte[] a) {
        if (InetAddr.isMapped(a) && InetAddr.v4(a) == 0) {
            return InetAddr.isMapped(localAddr) && InetAddr.v4(localAddr) != 0 ? localAddr : InetAddr.LOOPBACK4;
        }
        if (!InetAddr.isLoopback(a) || InetAddr.isBroadcast(a)) {
            throw new SyscallException(Errno.ENETUNREACH);
        }
        return a;
    }

    /** The source address for traffic to {@code dest}: the bound address, else the loopback of dest's family. */
    byte[] sourceFor(byte[] dest) {
        if (!InetAddr.isAny(localAddr)) {
            return localAddr;
        }
        return InetAddr.isMapped(dest) ? InetAddr.LOOPBACK4 : InetAddr.LOOPBACK6;
    }

    @Override
    public void bind(Task t, byte[] sa) {
        byte[] addr;
        int port;
        if (family == AF_INET) {
            if (sa.length < 16) {
                throw new SyscallException(Errno.EINVAL);
            }
            int fam = Bytes.getShort(sa, 0);
            addr = InetAddr.fromSockaddrIn(sa);
            if (fam != AF_INET && (fam != AF_UNSPEC || InetAddr.v4(addr) != 0)) {
                throw new SyscallException(Errno.EAFNOSUPPORT);
            }
            port = Bytes.getPort(sa, 2);
            if (!InetAddr.isAny(addr) && !InetAddr.isLoopback(addr) && !InetAddr.isMulticast(addr)
                    && !InetAddr.isBroadcast(addr) && !freebind && !transparent) {
                throw new SyscallException(Errno.EADDRNOTAVAIL);
            }
            checkPrivileged(t, port);
        } else {
            if (sa.length < 24) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (Bytes.getShort(sa, 0) != AF_INET6) {
                throw new SyscallException(Errno.EAFNOSUPPORT);
            }
            addr = InetAddr.fromSockaddrIn6(sa);
            if (InetAddr.isMulticast(addr) && !InetAddr.isMapped(addr) && type == SOCK_STREAM) {
                throw new SyscallException(Errno.EINVAL);
            }
            port = Bytes.getPort(sa, 2);
            checkPrivileged(t, port);
            synchronized (stack) {
                if (skState() != TCP_CLOSE || localPort != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
            if (InetAddr.isMapped(addr)) {
                if (v6only) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (InetAddr.v4(addr) != 0 && !InetAddr.isLoopback(addr) && !InetAddr.isMulticast(addr)
                        && !InetAddr.isBroadcast(addr) && !freebind && !transparent) {
                    throw new SyscallException(Errno.EADDRNOTAVAIL);
                }
            } else if (!InetAddr.isAny6(addr) && !InetAddr.isMulticast(addr) && !InetAddr.isLoopback(addr)
                    && !freebind6 && !transparent6 && !freebind && !transparent) {
                throw new SyscallException(Errno.EADDRNOTAVAIL);
            }
        }
        synchronized (stack) {
            if (skState() != TCP_CLOSE || localPort != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            boolean only = v6only || (family == AF_INET6 && !InetAddr.isAny6(addr) && !InetAddr.isMapped(addr));
            long now = t.kernel.clock().now();
            if (port == 0) {
                port = ports().ephemeral(now);
            } else if (ports().inUse(this, addr, only, port, tcp(), now)) {
                throw new SyscallException(Errno.EADDRINUSE);
            }
            v6only = only;
            localAddr = addr;
            localPort = port;
            bindAddrLocked = !InetAddr.isAny(addr);
            bindPortLocked = Bytes.getPort(sa, 2) != 0;
            ports().add(port, this);
        }
    }

    /** Ports below 1024 need CAP_NET_BIND_SERVICE (the sandbox's root has it). */
    private static void checkPrivileged(Task t, int port) {
        if (port != 0 && port < 1024 && t.threadGroup().creds.euid != 0) {
            throw new SyscallException(Errno.EACCES);
        }
    }

    /** inet_autobind: an unbound socket takes an ephemeral port (send, connect, listen). */
    void autobindLocked(Task t) {
        if (localPort != 0) {
            return;
        }
        localPort = ports().ephemeral(t.kernel.clock().now());
        ports().add(localPort, this);
    }

    /** Gives up a port taken implicitly (disconnect, a failed connect), as Linux's inet_put_port. */
    void unbindImplicitLocked() {
        if (localPort != 0 && !bindPortLocked) {
            ports().remove(localPort, this);
            localPort = 0;
        }
        if (!bindAddrLocked) {
            localAddr = family == AF_INET ? InetAddr.ANY4 : InetAddr.ANY6;
        }
    }

    @Override
    public byte[] getsockname(Task t) {
        synchronized (stack) {
            return InetAddr.sockaddr(family, localAddr, localPort);
        }
    }

    /** Whether the peer's name can be reported now (Linux refuses it while closed or connecting). */
    boolean peerNameVisible() {
        int s = skState();
        return remotePort != 0 && s != TCP_CLOSE && s != TCP_SYN_SENT;
    }

    @Override
    public byte[] getpeername(Task t) {
        synchronized (stack) {
            if (!peerNameVisible()) {
                throw new SyscallException(Errno.ENOTCONN);
            }
            return InetAddr.sockaddr(family, remoteAddr, remotePort);
        }
    }

    // ---- IPPROTO_IP and IPPROTO_IPV6 options -----------------------------------------------------------

    private static final int IP_TOS = 1, IP_TTL = 2, IP_HDRINCL = 3, IP_OPTIONS = 4, IP_RECVOPTS = 6,
            IP_RETOPTS = 7, IP_PKTINFO = 8, IP_MTU_DISCOVER = 10, IP_RECVERR = 11, IP_RECVTTL = 12, IP_RECVTOS = 13,
            IP_MTU = 14, IP_FREEBIND = 15, IP_TRANSPARENT = 19, IP_ORIGDSTADDR = 20, IP_MINTTL = 21,
            IP_NODEFRAG = 22, IP_BIND_ADDRESS_NO_PORT = 24, IP_MULTICAST_TTL = 33, IP_MULTICAST_LOOP = 34,
            IP_MULTICAST_ALL = 49;
    private static final int IPV6_UNICAST_HOPS = 16, IPV6_MULTICAST_HOPS = 18, IPV6_MULTICAST_LOOP = 19,
            IPV6_MTU_DISCOVER = 23, IPV6_MTU = 24, IPV6_RECVERR = 25, IPV6_V6ONLY = 26, IPV6_RECVPKTINFO = 49,
            IPV6_RECVHOPLIMIT = 51, IPV6_RECVTCLASS = 66, IPV6_TCLASS = 67, IPV6_AUTOFLOWLABEL = 70,
            IPV6_DONTFRAG = 62, IPV6_FREEBIND = 78, IPV6_TRANSPARENT = 75;

    @Override
    void setProtocolOption(Task t, int level, int name, OptVal v) {
        if (level == SOL_IP) {
            setIpOption(name, v);
        } else if (level == SOL_IPV6 && family == AF_INET6) {
            setIpv6Option(name, v);
        } else {
            throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    @Override
    byte[] getProtocolOption(Task t, int level, int name, int len) {
        if (level == SOL_IP) {
            return getIpOption(name, len);
        }
        if (level == SOL_IPV6 && family == AF_INET6) {
            return Bytes.intOpt(getIpv6Option(name), len);
        }
        throw new SyscallException(Errno.ENOPROTOOPT);
    }

    /** ip_setsockopt reads an int, or a single byte when optlen is smaller. */
    private static int ipVal(OptVal v) {
        if (v.len >= 4) {
            return v.t.mm().readInt(v.addr);
        }
        if (v.len >= 1) {
            return v.read(1)[0] & 0xff;
        }
        return 0;
    }

    private void setIpOption(int name, OptVal v) {
        int val = ipVal(v);
        boolean on = val != 0;
        switch (name) {
            case IP_TOS -> {
                if (type == SOCK_STREAM) {
                    val = (val & ~3) | (tos & 3); // the ECN bits stay TCP's
                }
                tos = val & 0xff;
            }
            case IP_TTL -> {
                if (v.len < 1 || (val != -1 && (val < 1 || val > 255))) {
                    throw new SyscallException(Errno.EINVAL);
                }
                ttl = val;
            }
            case IP_MTU_DISCOVER -> {
                if (val < 0 || val > 5) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mtuDiscover = val;
            }
            case IP_MULTICAST_TTL -> {
                if (type == SOCK_STREAM) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (v.len < 1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (val == -1) {
                    val = 1;
                }
                if (val < 0 || val > 255) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mcastTtl = val;
            }
            case IP_MULTICAST_LOOP -> {
                if (v.len < 1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mcastLoop = on;
            }
            case IP_MULTICAST_ALL -> {
                if (v.len < 1 || (val != 0 && val != 1)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mcastAll = on;
            }
            case IP_MINTTL -> {
                if (v.len < 1 || val < 0 || val > 255) {
                    throw new SyscallException(Errno.EINVAL);
                }
                minTtl = val;
            }
            case IP_RECVTOS -> recvTos = on;
            case IP_PKTINFO -> pktInfo = on;
            case IP_RECVTTL -> recvTtl = on;
            case IP_RECVERR -> recvErr = on;
            case IP_RECVOPTS -> recvOpts = on;
            case IP_RETOPTS -> retOpts = on;
            case IP_FREEBIND -> freebind = on;
            case IP_TRANSPARENT -> transparent = on;
            case IP_BIND_ADDRESS_NO_PORT -> bindNoPort = on;
            case IP_ORIGDSTADDR -> recvOrigDst = on;
            case IP_NODEFRAG -> {
                if (type != SOCK_RAW) {
                    throw new SyscallException(Errno.ENOPROTOOPT);
                }
                nodefrag = on;
            }
            case IP_OPTIONS -> {
                if (v.len > 40) {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    private byte[] getIpOption(int name, int len) {
        int val = switch (name) {
            case IP_TOS -> tos;
            case IP_TTL -> ttl < 0 ? 64 : ttl;
            case IP_MTU_DISCOVER -> mtuDiscover;
            case IP_MULTICAST_TTL -> mcastTtl;
            case IP_MULTICAST_LOOP -> mcastLoop ? 1 : 0;
            case IP_MULTICAST_ALL -> mcastAll ? 1 : 0;
            case IP_MINTTL -> minTtl;
            case IP_RECVTOS -> recvTos ? 1 : 0;
            case IP_PKTINFO -> pktInfo ? 1 : 0;
            case IP_RECVTTL -> recvTtl ? 1 : 0;
            case IP_RECVERR -> recvErr ? 1 : 0;
            case IP_RECVOPTS -> recvOpts ? 1 : 0;
            case IP_RETOPTS -> retOpts ? 1 : 0;
            case IP_FREEBIND -> freebind ? 1 : 0;
            case IP_TRANSPARENT -> transparent ? 1 : 0;
            case IP_BIND_ADDRESS_NO_PORT -> bindNoPort ? 1 : 0;
            case IP_ORIGDSTADDR -> recvOrigDst ? 1 : 0;
            case IP_HDRINCL -> hdrincl ? 1 : 0;
            case IP_MTU -> {
                if (remotePort == 0) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
                yield Interfaces.LO_MTU;
            }
            case IP_OPTIONS -> {
                yield -1;
            }
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
        if (name == IP_OPTIONS) {
            return new byte[0];
        }
        // do_ip_getsockopt: a caller asking for less than an int gets one byte when the value fits.
        if (len < 4 && len > 0 && val >= 0 && val <= 255) {
            return new byte[] {(byte) val};
        }
        return Bytes.intOpt(val, len);
    }

    private void setIpv6Option(int name, OptVal v) {
        int val = v.readInt();
        boolean on = val != 0;
        switch (name) {
            case IPV6_V6ONLY -> {
                if (localPort != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                v6only = on;
            }
            case IPV6_UNICAST_HOPS -> {
                if (val > 255 || val < -1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                unicastHops = val;
            }
            case IPV6_MULTICAST_HOPS -> {
                if (type == SOCK_STREAM) {
                    throw new SyscallException(Errno.ENOPROTOOPT);
                }
                if (val > 255 || val < -1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mcastHops = val == -1 ? 1 : val;
            }
            case IPV6_MULTICAST_LOOP -> {
                if (val != 0 && val != 1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mcastLoop6 = on;
            }
            case IPV6_TCLASS -> {
                if (val < -1 || val > 0xff) {
                    throw new SyscallException(Errno.EINVAL);
                }
                tclass = val == -1 ? 0 : val;
            }
            case IPV6_MTU_DISCOVER -> {
                if (val < 0 || val > 5) {
                    throw new SyscallException(Errno.EINVAL);
                }
                mtuDiscover6 = val;
            }
            case IPV6_RECVPKTINFO -> recvPktInfo6 = on;
            case IPV6_RECVTCLASS -> recvTclass6 = on;
            case IPV6_RECVHOPLIMIT -> recvHopLimit6 = on;
            case IPV6_RECVERR -> recvErr6 = on;
            case IPV6_AUTOFLOWLABEL -> autoFlowLabel = on;
            case IPV6_DONTFRAG -> dontFrag = on;
            case IPV6_FREEBIND -> freebind6 = on;
            case IPV6_TRANSPARENT -> transparent6 = on;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    private int getIpv6Option(int name) {
        return switch (name) {
            case IPV6_V6ONLY -> v6only ? 1 : 0;
            case IPV6_UNICAST_HOPS -> unicastHops < 0 ? 64 : unicastHops;
            case IPV6_MULTICAST_HOPS -> mcastHops;
            case IPV6_MULTICAST_LOOP -> mcastLoop6 ? 1 : 0;
            case IPV6_TCLASS -> tclass;
            case IPV6_MTU_DISCOVER -> mtuDiscover6;
            case IPV6_RECVPKTINFO -> recvPktInfo6 ? 1 : 0;
            case IPV6_RECVTCLASS -> recvTclass6 ? 1 : 0;
            case IPV6_RECVHOPLIMIT -> recvHopLimit6 ? 1 : 0;
            case IPV6_RECVERR -> recvErr6 ? 1 : 0;
            case IPV6_AUTOFLOWLABEL -> autoFlowLabel ? 1 : 0;
            case IPV6_DONTFRAG -> dontFrag ? 1 : 0;
            case IPV6_FREEBIND -> freebind6 ? 1 : 0;
            case IPV6_TRANSPARENT -> transparent6 ? 1 : 0;
            case IPV6_MTU -> {
                if (remotePort == 0) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
                yield Interfaces.LO_MTU;
            }
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
    }

    static void checkProtocolRange(int protocol) {
        if (protocol < 0 || protocol >= IPPROTO_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
    }
}
