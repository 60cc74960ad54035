package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A loopback TCP socket (tcp(7)), IPv4 or IPv6. A connection joins two sockets directly: what one
 * sends lands in the other's receive queue, so there are no packets, but the states and errnos are
 * Linux's: connect returns EINPROGRESS when non-blocking (the handshake completes right after, as it
 * does on loopback), a full accept queue leaves the connector waiting in SYN_SENT, close sends FIN
 * (EOF at the peer) or RST when unread data is thrown away or SO_LINGER is zero, a write to a closed
 * peer draws an RST (EPIPE on the next write), and a connection closed first keeps its port for 60 s.
 */
final class TcpSocket extends InetSocket {
    /** Additional sk_state values used only for TCP_INFO. */
    private static final int TCP_FIN_WAIT1 = 4, TCP_CLOSE_WAIT = 8, TCP_LAST_ACK = 9;

    int state = TCP_CLOSE;
    /** sock->state == SS_CONNECTING: connect(2) started and has not yet reported its outcome. */
    private boolean connecting;
    /** sock->state == SS_CONNECTED. */
    private boolean connected;
    TcpSocket peer;
    /** Bytes received and not yet read. */
    final ByteQueue rq = new ByteQueue();
    /** SOCK_DONE: the peer sent FIN (end of data after what is queued). */
    boolean finReceived;
    boolean finSent;
    /** A listener's established connections not yet accepted. */
    private final ArrayDeque<TcpSocket> acceptq = new ArrayDeque<>();
    /** A listener's connectors waiting for room in the accept queue (their SYNs are dropped meanwhile). */
    private final ArrayDeque<TcpSocket> synq = new ArrayDeque<>();
    private int backlog;
    /** A connector waiting in a listener's synq. */
    private TcpSocket awaitedListener;

    // IPPROTO_TCP options
    private boolean nodelay, cork, quickack = true, thinLinear;
    private int keepIdle = 7200, keepIntvl = 75, keepCnt = 9, synCnt, linger2, deferAccept, windowClamp,
            userTimeout, userMss, fastopen, notsentLowat = -1, maxseg;
    private String congestion = "cubic";

    TcpSocket(NetStack stack, Task t, int family, int protocol) {
        super(stack, t, family, SOCK_STREAM, protocol, TCP_WMEM_DEFAULT, TCP_RMEM_DEFAULT);
    }

    @Override
    InetPorts ports() {
        return stack.tcpPorts;
    }

    @Override
    boolean tcp() {
        return true;
    }

    @Override
    int skState() {
        return state;
    }

    @Override
    boolean listening() {
        return state == TCP_LISTEN;
    }

    private boolean established() {
        return state == TCP_ESTABLISHED;
    }

    /**
     * How many more bytes a writer may queue at {@code to} before it waits: what the larger of its send
     * buffer and the peer's receive buffer holds (on loopback Linux keeps the unacknowledged bytes in the
     * sender's buffer, which grows with the connection).
     */
    private long room(TcpSocket to) {
        return Math.max((long) opts.sndbuf, to.opts.rcvbuf) - to.rq.size();
    }

    /**
     * The send buffer an established connection grows to when SO_SNDBUF was not set
     * (tcp_sndbuf_expand for a loopback MSS, as Linux 6 reports it).
     */
    private static final int EXPANDED_SNDBUF = 3939840;

    private void expandBuffersLocked() {
        if (!opts.sndbufLocked) {
            opts.sndbuf = Math.max(opts.sndbuf, EXPANDED_SNDBUF);
        }
    }

    // ---- listen, connect, accept -----------------------------------------------------------------------

    @Override
    public void listen(Task t, int backlog) {
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                if (connecting || connected || (state != TCP_CLOSE && state != TCP_LISTEN)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (state != TCP_LISTEN) {
                    if (localPort == 0) {
                        autobindLocked(t);
                    } else if (ports().inUse(this, localAddr, v6only, localPort, true, t.kernel.clock().now())) {
                        throw new SyscallException(Errno.EADDRINUSE);
                    }
                    state = TCP_LISTEN;
                }
                this.backlog = backlog;
                admitLocked(fx);
                fx.wake(this);
            }
        } finally {
            fx.run();
        }
    }

    @Override
    public void connect(Task t, byte[] sa) {
        if (sa.length < 2) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (Bytes.getShort(sa, 0) == AF_UNSPEC) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    disconnectLocked(fx);
                }
            } finally {
                fx.run();
            }
            return;
        }
        int err;
        long timeo;
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                timeo = nonblocking() ? 0 : opts.sndTimeoNs;
                if (connected) {
                    throw new SyscallException(Errno.EISCONN);
                }
                if (connecting) {
                    err = Errno.EALREADY;
                } else {
                    if (state != TCP_CLOSE) {
                        throw new SyscallException(Errno.EISCONN);
                    }
                    startConnectLocked(t, sa, fx);
                    connecting = true;
                    err = Errno.EINPROGRESS;
                }
            }
        } finally {
            fx.run();
        }
        if (err == Errno.EINPROGRESS && timeo == 0) {
            // On loopback Linux finishes the handshake (or takes the RST) only after connect returns.
            throw new SyscallException(Errno.EINPROGRESS);
        }
        long deadline = deadline(t, timeo);
        while (true) {
            synchronized (stack) {
                if (state != TCP_SYN_SENT) {
                    break;
                }
                if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                    throw new SyscallException(err);
                }
            }
            int r = await(t, () -> state != TCP_SYN_SENT, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
        fx = new Effects();
        try {
            synchronized (stack) {
                if (state == TCP_CLOSE) {
                    int e = takeError();
                    connecting = false;
                    disconnectLocked(fx);
                    throw new SyscallException(e != 0 ? e : Errno.ECONNABORTED);
                }
                connecting = false;
                connected = true;
            }
        } finally {
            fx.run();
        }
    }

    /** tcp_v4_connect / tcp_v6_connect: route, source address, ephemeral port, then the SYN. */
    private void startConnectLocked(Task t, byte[] sa, Effects fx) {
        Endpoint d = destination(sa, false);
        if (InetAddr.isMulticast(d.addr()) || InetAddr.isBroadcast(d.addr())) {
            throw new SyscallException(Errno.ENETUNREACH);
        }
        byte[] dest = route(d.addr());
        byte[] src = sourceFor(dest);
        if (family == AF_INET6 && !InetAddr.isMapped(dest) && InetAddr.isMapped(src)) {
            throw new SyscallException(Errno.ENETUNREACH);
        }
        try {
            autobindLocked(t);
        } catch (SyscallException e) {
            throw new SyscallException(Errno.EADDRNOTAVAIL); // inet_hash_connect found no free port
        }
        localAddr = src;
        remoteAddr = dest;
        remotePort = d.port();
        state = TCP_SYN_SENT;
        TcpSocket l = ports().listener(dest, d.port());
        if (l == null || (l.shutdown & RCV_SHUTDOWN) != 0) {
            // The SYN draws an RST: the connection is refused.
            err = Errno.ECONNREFUSED;
            state = TCP_CLOSE;
            fx.wake(this);
            return;
        }
        if (l.acceptq.size() > l.backlog) {
            // The SYN is dropped: the connector waits in SYN_SENT until the listener has room.
            l.synq.add(this);
            awaitedListener = l;
            return;
        }
        establishLocked(l, this, fx);
    }

    /** A connection from {@code client} completes at listener {@code l}: the new socket joins l's accept queue. */
    private static void establishLocked(TcpSocket l, TcpSocket client, Effects fx) {
        TcpSocket child = new TcpSocket(l.stack, null, l.family, l.protocol);
        child.inheritFrom(l);
        child.localAddr = client.remoteAddr;
        child.localPort = l.localPort;
        child.remoteAddr = client.localAddr;
        child.remotePort = client.localPort;
        child.state = TCP_ESTABLISHED;
        child.connected = true;
        child.peer = client;
        child.maxseg = 32768;
        client.peer = child;
        client.state = TCP_ESTABLISHED;
        client.maxseg = client.family == AF_INET || InetAddr.isMapped(client.remoteAddr) ? 32741 : 32732;
        client.awaitedListener = null;
        child.expandBuffersLocked();
        client.expandBuffersLocked();
        l.ports().add(child.localPort, child);
        l.acceptq.add(child);
        fx.wake(l);
        fx.wake(client);
    }

    /** A new connection takes the listener's settings (Linux clones the listening sock). */
    private void inheritFrom(TcpSocket l) {
        SocketOptions o = l.opts.copy();
        opts.sndbuf = o.sndbuf;
        opts.rcvbuf = o.rcvbuf;
        opts.reuseAddr = o.reuseAddr;
        opts.reusePort = o.reusePort;
        opts.keepAlive = o.keepAlive;
        opts.linger = o.linger;
        opts.lingerSecs = o.lingerSecs;
        opts.oobInline = o.oobInline;
        opts.priority = o.priority;
        opts.mark = o.mark;
        opts.rcvlowat = o.rcvlowat;
        opts.rcvTimeoNs = o.rcvTimeoNs;
        opts.sndTimeoNs = o.sndTimeoNs;
        opts.sndbufLocked = o.sndbufLocked;
        opts.rcvbufLocked = o.rcvbufLocked;
        v6only = l.v6only;
        bindPortLocked = l.bindPortLocked;
        bindAddrLocked = true;
        tos = l.tos;
        ttl = l.ttl;
        tclass = l.tclass;
        unicastHops = l.unicastHops;
        nodelay = l.nodelay;
        keepIdle = l.keepIdle;
        keepIntvl = l.keepIntvl;
        keepCnt = l.keepCnt;
        userTimeout = l.userTimeout;
        congestion = l.congestion;
        windowClamp = l.windowClamp;
        linger2 = l.linger2;
    }

    /** Lets connectors waiting in SYN_SENT in while the accept queue has room. */
    private void admitLocked(Effects fx) {
        while (!synq.isEmpty() && acceptq.size() <= backlog) {
            TcpSocket c = synq.poll();
            establishLocked(this, c, fx);
        }
    }

    @Override
    public SocketFile accept(Task t, boolean nonblock, int newFlags) {
        long deadline;
        synchronized (stack) {
            deadline = deadline(t, nonblock ? 0 : opts.rcvTimeoNs);
        }
        while (true) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    if (state != TCP_LISTEN) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    TcpSocket c = acceptq.poll();
                    if (c != null) {
                        c.setFlags(FileMode.O_RDWR | (newFlags & FileMode.O_NONBLOCK));
                        admitLocked(fx);
                        fx.wake(this);
                        return c;
                    }
                    if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                        throw new SyscallException(Errno.EAGAIN);
                    }
                }
            } finally {
                fx.run();
            }
            int r = await(t, () -> !acceptq.isEmpty() || state != TCP_LISTEN, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    @Override
    public byte[] acceptPeerName(Task t) {
        synchronized (stack) {
            return InetAddr.sockaddr(family, remoteAddr, remotePort);
        }
    }

    // ---- data -----------------------------------------------------------------------------------------------

    /** sk_stream_error: EPIPE becomes the pending error if there is one, and raises SIGPIPE if it stays EPIPE. */
    private int streamError(Task t, int e, int flags) {
        if (e == Errno.EPIPE) {
            int pending = takeError();
            if (pending != 0) {
                e = pending;
            }
        }
        if (e == Errno.EPIPE) {
            sigpipe(t, flags);
        }
        return e;
    }

    @Override
    public long sendmsg(Task t, SendMsg m) {
        Cmsg.parseInet(m.control, false);
        long len = m.data.total();
        long copied = 0;
        long deadline;
        synchronized (stack) {
            deadline = deadline(t, m.dontWait() ? 0 : opts.sndTimeoNs);
        }
        while (true) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    if (state != TCP_ESTABLISHED) {
                        // sk_stream_wait_connect
                        int e = takeError();
                        if (e != 0) {
                            throw new SyscallException(streamError(t, e, m.flags));
                        }
                        if (state != TCP_SYN_SENT) {
                            throw new SyscallException(streamError(t, Errno.EPIPE, m.flags));
                        }
                        if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                            throw new SyscallException(Errno.EAGAIN);
                        }
                    } else {
                        if (err != 0 || (shutdown & SEND_SHUTDOWN) != 0) {
                            if (copied > 0) {
                                return copied;
                            }
                            throw new SyscallException(streamError(t, Errno.EPIPE, m.flags));
                        }
                        TcpSocket p = peer;
                        if (p == null || p.dead || p.state == TCP_CLOSE) {
                            // The peer is gone: this data draws an RST (reported by the next call).
                            m.data.skip(m.data.remaining());
                            copied = len;
                            resetLocked(this, fx);
                            if (p != null) {
                                p.releasePortHold();
                            }
                            return copied;
                        }
                        long room = room(p);
                        if (room > 0 && copied < len) {
                            int n = (int) Math.min(Math.min(room, len - copied), 1 << 20);
                            byte[] b = new byte[n];
                            try {
                                m.data.read(b, 0, n);
                            } catch (SyscallException e) {
                                if (copied > 0) {
                                    return copied;
                                }
                                throw e;
                            }
                            p.rq.add(b);
                            copied += n;
                            fx.wake(p);
                            continue;
                        }
                        if (copied >= len) {
                            return copied;
                        }
                        if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                            if (copied > 0) {
                                return copied;
                            }
                            throw new SyscallException(Errno.EAGAIN);
                        }
                    }
                }
            } finally {
                fx.run();
            }
            int r = await(t, () -> state != TCP_ESTABLISHED || err != 0 || (shutdown & SEND_SHUTDOWN) != 0
                    || peer == null || peer.dead || room(peer) > 0, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                if (copied > 0) {
                    return copied;
                }
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    /** Forgets the port hold of a closed connection that was just reset. */
    private void releasePortHold() {
        if (dead && lingerUntil != 0) {
            ports().remove(localPort, this);
            lingerUntil = 0;
        }
    }

    @Override
    public long recvmsg(Task t, RecvMsg m) {
        int flags = m.flags;
        long len = m.data.remaining();
        long copied = 0;
        long target;
        long deadline;
        synchronized (stack) {
            if (state == TCP_LISTEN) {
                throw new SyscallException(Errno.ENOTCONN);
            }
            if ((flags & MSG_OOB) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            if ((flags & MSG_ERRQUEUE) != 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
            long t0 = (flags & MSG_WAITALL) != 0 ? len : Math.min(opts.rcvlowat, len);
            target = t0 == 0 ? 1 : t0;
            deadline = deadline(t, m.dontWait() ? 0 : opts.rcvTimeoNs);
        }
        boolean peek = m.peek();
        boolean trunc = (flags & MSG_TRUNC) != 0;
        while (true) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    long skip = peek ? copied : 0;
                    long avail = rq.size() - skip;
                    if (avail > 0 && copied < len) {
                        int want = (int) Math.min(Math.min(len - copied, avail), Integer.MAX_VALUE);
                        int got;
                        try {
                            got = rq.peek(skip, want, trunc ? null : m.data);
                        } catch (SyscallException e) {
                            if (copied > 0) {
                                return copied;
                            }
                            throw e;
                        }
                        if (!peek) {
                            rq.consume(got);
                            fx.wake(peer);
                            fx.wake(this);
                        }
                        copied += got;
                    }
                    if (copied >= target) {
                        return copied;
                    }
                    boolean timedOut = deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline;
                    if (copied > 0) {
                        if (timedOut || err != 0 || state == TCP_CLOSE || (shutdown & RCV_SHUTDOWN) != 0 || finReceived) {
                            return copied;
                        }
                    } else {
                        if (finReceived) {
                            return 0;
                        }
                        if (err != 0) {
                            throw new SyscallException(takeError());
                        }
                        if ((shutdown & RCV_SHUTDOWN) != 0) {
                            return 0;
                        }
                        if (state == TCP_CLOSE) {
                            throw new SyscallException(Errno.ENOTCONN);
                        }
                        if (timedOut) {
                            throw new SyscallException(Errno.EAGAIN);
                        }
                    }
                }
            } finally {
                fx.run();
            }
            long have = peek ? copied : 0;
            int r = await(t, () -> rq.size() > have || err != 0 || finReceived || (shutdown & RCV_SHUTDOWN) != 0
                    || state == TCP_CLOSE, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                if (copied > 0) {
                    return copied;
                }
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    // ---- shutdown, close, reset ------------------------------------------------------------------------

    @Override
    public void shutdown(Task t, int how) {
        int mode = Sockets.shutdownMode(how);
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                fx.wake(this);
                switch (state) {
                    case TCP_LISTEN -> {
                        if ((mode & RCV_SHUTDOWN) != 0) {
                            stopListeningLocked(fx);
                            state = TCP_CLOSE;
                            connecting = false;
                        }
                    }
                    case TCP_SYN_SENT -> {
                        leaveSynQueueLocked();
                        state = TCP_CLOSE;
                        connecting = false;
                        unbindImplicitLocked();
                    }
                    default -> {
                        boolean unconnected = state == TCP_CLOSE;
                        shutdown |= mode;
                        if ((mode & SEND_SHUTDOWN) != 0 && state == TCP_ESTABLISHED) {
                            sendFinLocked(fx);
                        }
                        if (unconnected) {
                            throw new SyscallException(Errno.ENOTCONN);
                        }
                    }
                }
            }
        } finally {
            fx.run();
        }
    }

    private void sendFinLocked(Effects fx) {
        if (finSent) {
            return;
        }
        finSent = true;
        TcpSocket p = peer;
        if (p != null && !p.dead && p.state == TCP_ESTABLISHED) {
            p.finReceived = true;
            p.shutdown |= RCV_SHUTDOWN;
            fx.wake(p);
        }
    }

    /** tcp_reset at {@code s}: the connection is aborted with the errno Linux gives for its state. */
    static void resetLocked(TcpSocket s, Effects fx) {
        if (s.state == TCP_CLOSE) {
            return;
        }
        int e;
        if (s.state == TCP_SYN_SENT) {
            e = Errno.ECONNREFUSED;
        } else if (s.finReceived && !s.finSent) {
            e = Errno.EPIPE; // CLOSE_WAIT
        } else {
            e = Errno.ECONNRESET;
        }
        s.err = e;
        s.state = TCP_CLOSE;
        s.shutdown = SHUTDOWN_MASK;
        if (!s.bindPortLocked && s.localPort != 0 && !s.dead) {
            s.ports().remove(s.localPort, s);
        }
        fx.wake(s);
    }

    private void leaveSynQueueLocked() {
        if (awaitedListener != null) {
            awaitedListener.synq.remove(this);
            awaitedListener = null;
        }
    }

    private void stopListeningLocked(Effects fx) {
        TcpSocket c;
        while ((c = acceptq.poll()) != null) {
            // inet_csk_listen_stop: never-accepted connections are reset.
            if (c.peer != null && !c.peer.dead) {
                resetLocked(c.peer, fx);
            }
            c.dead = true;
            c.state = TCP_CLOSE;
            ports().remove(c.localPort, c);
        }
        while ((c = synq.poll()) != null) {
            c.awaitedListener = null;
            resetLocked(c, fx);
        }
    }

    /** tcp_disconnect (connect with AF_UNSPEC): aborts a connection and frees an implicit binding. */
    private void disconnectLocked(Effects fx) {
        if (state == TCP_LISTEN) {
            stopListeningLocked(fx);
        } else if (state == TCP_SYN_SENT) {
            leaveSynQueueLocked();
        } else if (state == TCP_ESTABLISHED && peer != null && !peer.dead) {
            resetLocked(peer, fx);
        }
        state = TCP_CLOSE;
        connecting = false;
        connected = false;
        peer = null;
        rq.clear();
        finReceived = false;
        finSent = false;
        shutdown = 0;
        remotePort = 0;
        remoteAddr = null;
        unbindImplicitLocked();
        fx.wake(this);
    }

    @Override
    protected void releaseLocked(Effects fx) {
        if (dead) {
            return;
        }
        dead = true;
        shutdown = SHUTDOWN_MASK;
        fx.wake(this);
        switch (state) {
            case TCP_LISTEN -> {
                stopListeningLocked(fx);
                state = TCP_CLOSE;
                ports().remove(localPort, this);
            }
            case TCP_SYN_SENT -> {
                leaveSynQueueLocked();
                state = TCP_CLOSE;
                ports().remove(localPort, this);
            }
            case TCP_ESTABLISHED -> {
                boolean unread = !rq.isEmpty();
                rq.clear();
                TcpSocket p = peer;
                boolean abort = unread || (opts.linger && opts.lingerSecs == 0);
                if (p != null && !p.dead && p.state != TCP_CLOSE) {
                    if (abort) {
                        resetLocked(p, fx);
                    } else {
                        boolean closedFirst = !finReceived;
                        sendFinLocked(fx);
                        if (closedFirst) {
                            // TIME_WAIT / FIN_WAIT2: the port stays taken for a while.
                            lingerUntil = stack.clock().now() + InetPorts.LINGER_NS;
                            state = TCP_CLOSE;
                            return;
                        }
                    }
                } else if (p != null && p.dead && p.lingerUntil != 0 && !abort) {
                    // Both ends closed; the one that closed first holds the port.
                    p.lingerUntil = Math.max(p.lingerUntil, stack.clock().now());
                }
                state = TCP_CLOSE;
                ports().remove(localPort, this);
            }
            default -> {
                if (localPort != 0) {
                    ports().remove(localPort, this);
                }
            }
        }
    }

    // ---- poll, ioctl ------------------------------------------------------------------------------------

    @Override
    int pollLocked() {
        if (state == TCP_LISTEN) {
            return acceptq.isEmpty() ? 0 : POLLIN | POLLRDNORM;
        }
        int mask = 0;
        if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE) {
            mask |= POLLHUP;
        }
        if ((shutdown & RCV_SHUTDOWN) != 0 || finReceived) {
            mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        }
        if (state != TCP_SYN_SENT) {
            if (!rq.isEmpty()) {
                mask |= POLLIN | POLLRDNORM;
            }
            if ((shutdown & SEND_SHUTDOWN) == 0) {
                if (peer == null || peer.dead || room(peer) > 0) {
                    mask |= POLLOUT | POLLWRNORM;
                }
            } else {
                mask |= POLLOUT | POLLWRNORM;
            }
        }
        if (err != 0) {
            mask |= POLLERR;
        }
        return mask;
    }

    @Override
    int inqLocked() {
        if (state == TCP_LISTEN) {
            throw new SyscallException(Errno.EINVAL);
        }
        return (int) Math.min(rq.size(), Integer.MAX_VALUE);
    }

    @Override
    int outqLocked() {
        if (state == TCP_LISTEN) {
            throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    // ---- IPPROTO_TCP options ------------------------------------------------------------------------------

    private static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10,
            TCP_INFO = 11, TCP_QUICKACK = 12, TCP_CONGESTION = 13, TCP_THIN_LINEAR_TIMEOUTS = 16,
            TCP_USER_TIMEOUT = 18, TCP_FASTOPEN = 23, TCP_NOTSENT_LOWAT = 25;

    @Override
    void setProtocolOption(Task t, int level, int name, OptVal v) {
        if (level != SOL_TCP) {
            super.setProtocolOption(t, level, name, v);
            return;
        }
        if (name == TCP_CONGESTION) {
            if (v.len < 1) {
                throw new SyscallException(Errno.EINVAL);
            }
            byte[] b = v.read(Math.min(v.len, 15));
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
            if (!s.equals("cubic") && !s.equals("reno")) {
                throw new SyscallException(Errno.ENOENT);
            }
            congestion = s;
            return;
        }
        int val = v.readInt();
        switch (name) {
            case TCP_NODELAY -> nodelay = val != 0;
            case TCP_CORK -> cork = val != 0;
            case TCP_MAXSEG -> {
                if (val != 0 && (val < 88 || val > 32767)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                userMss = val;
            }
            case TCP_KEEPIDLE -> keepIdle = range(val, 1, 32767);
            case TCP_KEEPINTVL -> keepIntvl = range(val, 1, 32767);
            case TCP_KEEPCNT -> keepCnt = range(val, 1, 127);
            case TCP_SYNCNT -> synCnt = range(val, 1, 127);
            case TCP_LINGER2 -> linger2 = val < 0 ? -1 : Math.min(val, 120);
            case TCP_DEFER_ACCEPT -> deferAccept = secsToRetrans(Math.max(val, 0));
            case TCP_WINDOW_CLAMP -> {
                if (val == 0) {
                    if (state != TCP_CLOSE) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    windowClamp = 0;
                } else {
                    windowClamp = Math.max(val, SOCK_MIN_RCVBUF / 2);
                }
            }
            case TCP_QUICKACK -> quickack = (val & 1) != 0;
            case TCP_THIN_LINEAR_TIMEOUTS -> {
                if (val < 0 || val > 1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                thinLinear = val != 0;
            }
            case TCP_USER_TIMEOUT -> {
                if (val < 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                userTimeout = val;
            }
            case TCP_FASTOPEN -> {
                if (val < 0 || state == TCP_CLOSE && false) {
                    throw new SyscallException(Errno.EINVAL);
                }
                fastopen = val;
            }
            case TCP_NOTSENT_LOWAT -> notsentLowat = val;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    private static int range(int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new SyscallException(Errno.EINVAL);
        }
        return v;
    }

    /** secs_to_retrans(seconds, TCP_TIMEOUT_INIT 1 s, TCP_RTO_MAX 120 s). */
    private static int secsToRetrans(int seconds) {
        int res = 0;
        if (seconds > 0) {
            int timeout = 1;
            int period = timeout;
            res = 1;
            while (seconds > period && res < 255) {
                res++;
                timeout <<= 1;
                if (timeout > 120) {
                    timeout = 120;
                }
                period += timeout;
            }
        }
        return res;
    }

    private static int retransToSecs(int retrans) {
        int period = 0;
        if (retrans > 0) {
            int timeout = 1;
            period = timeout;
            while (--retrans > 0) {
                timeout <<= 1;
                if (timeout > 120) {
                    timeout = 120;
                }
                period += timeout;
            }
        }
        return period;
    }

    @Override
    byte[] getProtocolOption(Task t, int level, int name, int len) {
        if (level != SOL_TCP) {
            return super.getProtocolOption(t, level, name, len);
        }
        if (name == TCP_CONGESTION) {
            byte[] b = new byte[16];
            byte[] s = congestion.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(s, 0, b, 0, s.length);
            return java.util.Arrays.copyOf(b, Math.min(len, 16));
        }
        if (name == TCP_INFO) {
            return java.util.Arrays.copyOf(tcpInfo(), Math.min(len, 232));
        }
        int val = switch (name) {
            case TCP_NODELAY -> nodelay ? 1 : 0;
            case TCP_CORK -> cork ? 1 : 0;
            case TCP_MAXSEG -> (state == TCP_CLOSE || state == TCP_LISTEN) && userMss != 0 ? userMss
                    : maxseg != 0 ? maxseg : 536;
            case TCP_KEEPIDLE -> keepIdle;
            case TCP_KEEPINTVL -> keepIntvl;
            case TCP_KEEPCNT -> keepCnt;
            case TCP_SYNCNT -> synCnt != 0 ? synCnt : 6;
            case TCP_LINGER2 -> linger2 < 0 ? -1 : linger2 != 0 ? linger2 : 60;
            case TCP_DEFER_ACCEPT -> retransToSecs(deferAccept);
            case TCP_WINDOW_CLAMP -> windowClamp;
            case TCP_QUICKACK -> quickack ? 1 : 0;
            case TCP_THIN_LINEAR_TIMEOUTS -> thinLinear ? 1 : 0;
            case TCP_USER_TIMEOUT -> userTimeout;
            case TCP_FASTOPEN -> fastopen;
            case TCP_NOTSENT_LOWAT -> notsentLowat;
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
        return Bytes.intOpt(val, len);
    }

    /** struct tcp_info with what a loopback connection has: the state, the MSS, the queued bytes. */
    private byte[] tcpInfo() {
        byte[] b = new byte[232];
        int st = state;
        if (st == TCP_ESTABLISHED) {
            if (finReceived && finSent) {
                st = TCP_LAST_ACK;
            } else if (finReceived) {
                st = TCP_CLOSE_WAIT;
            } else if (finSent) {
                st = TCP_FIN_WAIT1;
            }
        }
        b[0] = (byte) st;
        int mss = maxseg != 0 ? maxseg : 536;
        Bytes.putInt(b, 16, mss); // tcpi_snd_mss
        Bytes.putInt(b, 20, mss); // tcpi_rcv_mss
        Bytes.putInt(b, 8, 200_000); // tcpi_rto (us)
        return b;
    }
}
