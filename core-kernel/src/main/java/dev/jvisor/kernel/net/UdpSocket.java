package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.util.ArrayDeque;

/**
 * A loopback UDP socket (udp(7)), IPv4 or IPv6: each send delivers one datagram straight into the
 * receiving socket's queue (found as Linux's __udp4_lib_lookup finds it), or drops it; a connected
 * socket sending to a port nobody holds gets ECONNREFUSED on its next call, as from the ICMP port
 * unreachable Linux would see. Datagrams keep their boundaries and source addresses.
 */
final class UdpSocket extends InetSocket {
    /** The largest payload of one datagram: IPv4 65535 - 20 - 8, IPv6 65535 - 8. */
    private static final int MAX_V4 = 65507, MAX_V6 = 65527;

    int state = TCP_CLOSE;
    final ArrayDeque<Datagram> rq = new ArrayDeque<>();
    /** Truesize of the queued datagrams (sk_rmem_alloc). */
    private int rmem;
    // IPPROTO_UDP options
    private boolean cork, gro, noCheck6Tx, noCheck6Rx;
    private int encap, segment;

    UdpSocket(NetStack stack, Task t, int family) {
        super(stack, t, family, SOCK_DGRAM, IPPROTO_UDP, WMEM_DEFAULT, RMEM_DEFAULT);
    }

    @Override
    InetPorts ports() {
        return stack.udpPorts;
    }

    @Override
    boolean tcp() {
        return false;
    }

    @Override
    int skState() {
        return state;
    }

    @Override
    boolean listening() {
        return false;
    }

    // ---- connect ---------------------------------------------------------------------------------------

    @Override
    public void connect(Task t, byte[] sa) {
        if (sa.length < 2) {
            throw new SyscallException(Errno.EINVAL);
        }
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                if (Bytes.getShort(sa, 0) == AF_UNSPEC) {
                    disconnectLocked();
                    fx.wake(this);
                    return;
                }
                autobind(t);
                int fam = Bytes.getShort(sa, 0);
                if (family == AF_INET6 && fam == AF_INET && v6only) {
                    throw new SyscallException(Errno.EAFNOSUPPORT);
                }
                Endpoint d = destination(sa, true);
                if (InetAddr.isBroadcast(d.addr()) && !opts.broadcast) {
                    throw new SyscallException(Errno.EACCES);
                }
                byte[] dest = InetAddr.isMulticast(d.addr()) ? d.addr() : route(d.addr());
                if (InetAddr.isAny(localAddr)) {
                    localAddr = sourceFor(dest); // the route's source; an address already set stays
                }
                remoteAddr = dest;
                remotePort = d.port();
                state = TCP_ESTABLISHED;
                fx.wake(this);
            }
        } finally {
            fx.run();
        }
    }

    /** inet_autobind for a send or connect: no free port is EAGAIN. */
    private void autobind(Task t) {
        try {
            autobindLocked(t);
        } catch (SyscallException e) {
            throw new SyscallException(Errno.EAGAIN);
        }
    }

    /** udp_disconnect: forgets the peer; an address and port taken implicitly are given back. */
    private void disconnectLocked() {
        state = TCP_CLOSE;
        remoteAddr = null;
        remotePort = 0;
        unbindImplicitLocked();
    }

    // ---- data -----------------------------------------------------------------------------------------------

    @Override
    public long sendmsg(Task t, SendMsg m) {
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                autobind(t);
            }
            long len = m.data.total();
            if (len > 0xffff) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
            if ((m.flags & MSG_OOB) != 0) {
                throw new SyscallException(Errno.EOPNOTSUPP);
            }
            byte[] dest;
            int dport;
            boolean connectedSend;
            synchronized (stack) {
                Endpoint d = null;
                byte[] name = m.name;
                if (name != null && family == AF_INET6 && name.length >= 2 && Bytes.getShort(name, 0) == AF_UNSPEC) {
                    name = null;
                }
                if (name != null) {
                    if (family == AF_INET6 && name.length >= 2) {
                        int fam = Bytes.getShort(name, 0);
                        if (fam != AF_INET && fam != AF_INET6) {
                            throw new SyscallException(Errno.EINVAL);
                        }
                    }
                    d = destination(name, true);
                    if (d.port() == 0) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    connectedSend = false;
                } else {
                    if (state != TCP_ESTABLISHED) {
                        throw new SyscallException(Errno.EDESTADDRREQ);
                    }
                    d = new Endpoint(remoteAddr, remotePort);
                    connectedSend = true;
                }
                dest = d.addr();
                dport = d.port();
            }
            Cmsg.parseInet(m.control, true);
            boolean v4 = InetAddr.isMapped(dest);
            if (len > (v4 ? MAX_V4 : MAX_V6)) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
            byte[] data = new byte[(int) len];
            m.data.read(data, 0, (int) len);
            synchronized (stack) {
                // sock_alloc_send_skb reports a pending error (an earlier ICMP) instead of sending.
                int e = takeError();
                if (e != 0) {
                    throw new SyscallException(e);
                }
                if (InetAddr.isMulticast(dest)) {
                    return len; // no multicast members on this loopback stack
                }
                if (InetAddr.isBroadcast(dest)) {
                    if (!opts.broadcast) {
                        throw new SyscallException(Errno.EACCES);
                    }
                    return len;
                }
                dest = route(dest);
                byte[] src = sourceFor(dest);
                UdpSocket target = ports().udpTarget(dest, dport, src, localPort);
                if (target == null) {
                    if (connectedSend) {
                        err = Errno.ECONNREFUSED; // ICMP port unreachable reaches connected sockets
                        fx.wake(this);
                    }
                    return len;
                }
                if (target.rmem > target.opts.rcvbuf) {
                    return len; // receive buffer full: dropped
                }
                Datagram dg = new Datagram(data, src, localPort);
                target.rq.add(dg);
                target.rmem += dg.truesize;
                fx.wake(target);
                return len;
            }
        } finally {
            fx.run();
        }
    }

    @Override
    public long recvmsg(Task t, RecvMsg m) {
        if ((m.flags & MSG_ERRQUEUE) != 0) {
            throw new SyscallException(Errno.EAGAIN);
        }
        long deadline;
        synchronized (stack) {
            deadline = deadline(t, m.dontWait() ? 0 : opts.rcvTimeoNs);
        }
        while (true) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    int e = takeError();
                    if (e != 0) {
                        throw new SyscallException(e);
                    }
                    Datagram d = rq.peek();
                    if (d != null) {
                        long size = m.data.remaining();
                        int n = (int) Math.min(size, d.data.length);
                        if (n < d.data.length) {
                            m.msgFlags |= MSG_TRUNC;
                        }
                        m.data.write(d.data, 0, n);
                        if (m.wantName) {
                            m.name = InetAddr.sockaddr(family, d.fromAddr, d.fromPort);
                        }
                        if (!m.peek()) {
                            rq.poll();
                            rmem -= d.truesize;
                            fx.wake(this);
                        }
                        return (m.flags & MSG_TRUNC) != 0 ? d.data.length : n;
                    }
                    boolean timedOut = deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline;
                    if (timedOut) {
                        throw new SyscallException(Errno.EAGAIN);
                    }
                    if ((shutdown & RCV_SHUTDOWN) != 0) {
                        return 0;
                    }
                }
            } finally {
                fx.run();
            }
            int r = await(t, () -> !rq.isEmpty() || err != 0 || (shutdown & RCV_SHUTDOWN) != 0, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    // ---- shutdown, close ---------------------------------------------------------------------------------

    @Override
    public void shutdown(Task t, int how) {
        int mode = Sockets.shutdownMode(how);
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                shutdown |= mode;
                fx.wake(this);
                if (state == TCP_CLOSE) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
            }
        } finally {
            fx.run();
        }
    }

    @Override
    protected void releaseLocked(Effects fx) {
        if (dead) {
            return;
        }
        dead = true;
        shutdown = SHUTDOWN_MASK;
        if (localPort != 0) {
            ports().remove(localPort, this);
        }
        rq.clear();
        rmem = 0;
        fx.wake(this);
    }

    // ---- poll, ioctl, options -------------------------------------------------------------------------

    @Override
    int pollLocked() {
        int mask = 0;
        if (err != 0) {
            mask |= POLLERR;
        }
        if ((shutdown & RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (shutdown == SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if (!rq.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        }
        return mask | POLLOUT | POLLWRNORM | POLLWRBAND;
    }

    @Override
    int inqLocked() {
        Datagram d = rq.peek();
        return d == null ? 0 : d.data.length;
    }

    @Override
    int outqLocked() {
        return 0;
    }

    private static final int UDP_CORK = 1, UDP_ENCAP = 100, UDP_NO_CHECK6_TX = 101, UDP_NO_CHECK6_RX = 102,
            UDP_SEGMENT = 103, UDP_GRO = 104;

    @Override
    void setProtocolOption(Task t, int level, int name, OptVal v) {
        if (level != SOL_UDP) {
            super.setProtocolOption(t, level, name, v);
            return;
        }
        int val = v.readInt();
        switch (name) {
            case UDP_CORK -> cork = val != 0;
            case UDP_ENCAP -> encap = val;
            case UDP_NO_CHECK6_TX -> noCheck6Tx = val != 0;
            case UDP_NO_CHECK6_RX -> noCheck6Rx = val != 0;
            case UDP_SEGMENT -> {
                if (val < 0 || val > 0xffff) {
                    throw new SyscallException(Errno.EINVAL);
                }
                segment = val;
            }
            case UDP_GRO -> gro = val != 0;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    @Override
    byte[] getProtocolOption(Task t, int level, int name, int len) {
        if (level != SOL_UDP) {
            return super.getProtocolOption(t, level, name, len);
        }
        int val = switch (name) {
            case UDP_CORK -> cork ? 1 : 0;
            case UDP_ENCAP -> encap;
            case UDP_NO_CHECK6_TX -> noCheck6Tx ? 1 : 0;
            case UDP_NO_CHECK6_RX -> noCheck6Rx ? 1 : 0;
            case UDP_SEGMENT -> segment;
            case UDP_GRO -> gro ? 1 : 0;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
        return Bytes.intOpt(val, len);
    }
}
