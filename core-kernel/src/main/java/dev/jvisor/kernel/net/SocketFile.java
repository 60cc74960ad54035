package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.util.function.BooleanSupplier;

/**
 * An open socket: the file description an fd refers to, and the protocol state behind it (one
 * subclass per family and type). All socket state of the sandbox is guarded by one lock, the
 * {@link NetStack}; a blocked call waits on the {@link WaitQueue} of the socket whose state it waits
 * for, and every change to a socket's state wakes that socket's queue (after the lock is dropped).
 *
 * <p>The protocol operations follow Linux's proto_ops: the defaults give the errno Linux gives for a
 * family that does not support an operation. read/write are recv/send without flags, as sock_read_iter
 * and sock_write_iter make them.
 */
public abstract class SocketFile extends FileDescription {
    protected final NetStack stack;
    protected final SocketInode inode;
    protected final int family;
    protected final int type;
    protected final int protocol;
    final SocketOptions opts;
    /** sk_err: an asynchronous error, reported once (SO_ERROR or the next call that checks it). */
    int err;
    /** sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN. */
    int shutdown;
    /** Woken on every change of this socket's state; in the graph, so epoll entries on it survive a checkpoint. */
    private WaitQueue queue;

    protected SocketFile(NetStack stack, Task t, int family, int type, int protocol, int sndbuf, int rcvbuf) {
        super(FileMode.O_RDWR);
        this.stack = stack;
        this.inode = stack.newInode(t);
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.opts = new SocketOptions(sndbuf, rcvbuf);
    }

    public int family() {
        return family;
    }

    public int type() {
        return type;
    }

    public int protocol() {
        return protocol;
    }

    public SocketInode inode() {
        return inode;
    }

    // ---- waiting -------------------------------------------------------------------------------------------

    @Override
    public synchronized WaitQueue readinessQueue() {
        if (queue == null) {
            queue = new WaitQueue();
        }
        return queue;
    }

    void wakeWaiters() {
        WaitQueue q;
        synchronized (this) {
            q = queue;
        }
        if (q != null) {
            q.wakeAll();
        }
    }

    /**
     * Blocks until {@code ready} (checked under the stack's lock) holds or the deadline passes;
     * returns WaitQueue.READY, TIMED_OUT or INTERRUPTED. Call without holding the lock.
     */
    int await(Task t, BooleanSupplier ready, long deadline) {
        return readinessQueue().awaitUntil(t, stack, ready, deadline);
    }

    /**
     * The errno of a wait that a signal, an exit or a checkpoint interrupted (Linux's sock_intr_errno):
     * a wait with a timeout (SO_RCVTIMEO/SO_SNDTIMEO) ends with EINTR for a signal; otherwise the call
     * restarts (ERESTARTSYS), which a checkpoint always wants.
     */
    static int intrErrno(Task t, long deadline) {
        return deadline != Long.MAX_VALUE && t.signalPending() ? Errno.EINTR : Errno.ERESTARTSYS;
    }

    /** The deadline of a wait that may last {@code timeoNs} (-1: forever). */
    static long deadline(Task t, long timeoNs) {
        return timeoNs < 0 ? Long.MAX_VALUE : t.kernel.clock().now() + timeoNs;
    }

    /** sock_error: takes the pending error (0 if none). */
    int takeError() {
        int e = err;
        err = 0;
        return e;
    }

    /** Takes the pending error under the lock (recvmmsg reports it before receiving anything). */
    public int takePendingError() {
        synchronized (stack) {
            return takeError();
        }
    }

    /** Records an error for the next call or SO_ERROR (recvmmsg's error after some datagrams). */
    public void recordError(int errno) {
        Effects fx = new Effects();
        synchronized (stack) {
            err = errno;
            fx.wake(this);
        }
        fx.run();
    }

    public boolean nonblocking() {
        return (flags & FileMode.O_NONBLOCK) != 0;
    }

    /** Raises SIGPIPE for an EPIPE send, unless MSG_NOSIGNAL, as Linux's protocols do. */
    static void sigpipe(Task t, int msgFlags) {
        if ((msgFlags & MSG_NOSIGNAL) == 0) {
            t.raiseSignal(13);
        }
    }

    // ---- protocol operations (proto_ops) -------------------------------------------------------------------

    public void bind(Task t, byte[] addr) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** connect(2); {@code addr} is what the caller passed (possibly shorter than a family header). */
    public void connect(Task t, byte[] addr) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    public void listen(Task t, int backlog) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** Takes a connection off the queue; the new socket gets {@code newFlags} (O_NONBLOCK) and no fd yet. */
    public SocketFile accept(Task t, boolean nonblock, int newFlags) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    public abstract long sendmsg(Task t, SendMsg m);

    public abstract long recvmsg(Task t, RecvMsg m);

    public void shutdown(Task t, int how) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** The bound address, as getsockname(2) returns it (its length is the address length). */
    public abstract byte[] getsockname(Task t);

    /** The peer's address; ENOTCONN without a peer. */
    public abstract byte[] getpeername(Task t);

    /** The address accept(2) reports for a new connection (Linux asks without getpeername's state check). */
    public byte[] acceptPeerName(Task t) {
        return getpeername(t);
    }

    /** poll(2) events ready now (all of them; {@link #readiness} masks). Called under the stack's lock. */
    abstract int pollLocked();

    /** Bytes ready to read (SIOCINQ / FIONREAD). Called under the stack's lock. */
    abstract int inqLocked();

    /** Bytes sent but not yet taken by the receiver (SIOCOUTQ). Called under the stack's lock. */
    abstract int outqLocked();

    /** Releases the socket when its last reference goes (close). */
    protected abstract void releaseLocked(Effects fx);

    @Override
    public final void release() {
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                releaseLocked(fx);
            }
        } finally {
            fx.run();
        }
    }

    @Override
    public int readiness(int mask) {
        synchronized (stack) {
            return pollLocked() & (mask | POLLERR | POLLHUP);
        }
    }

    // ---- file operations ------------------------------------------------------------------------------------

    /** The MSG_* flags of a call on this file: MSG_DONTWAIT added for an O_NONBLOCK file. */
    public int ioFlags(int msgFlags) {
        return nonblocking() ? msgFlags | MSG_DONTWAIT : msgFlags;
    }

    @Override
    public long read(Task t, long addr, long len) {
        return readv(t, IoVec.single(t, addr, len));
    }

    @Override
    public long write(Task t, long addr, long len) {
        return writev(t, IoVec.single(t, addr, len));
    }

    /** readv(2) on a socket: one receive into all the buffers (sock_read_iter); no bytes asked is 0 at once. */
    public long readv(Task t, IoVec iov) {
        if (iov.total() == 0) {
            return 0;
        }
        RecvMsg m = new RecvMsg(iov, ioFlags(0), false, false);
        long n = recvmsg(t, m);
        Cmsg.discard(m);
        return n;
    }

    /** writev(2) on a socket: one send of all the buffers (sock_write_iter). */
    public long writev(Task t, IoVec iov) {
        int f = ioFlags(0);
        if (type == SOCK_SEQPACKET) {
            f |= MSG_EOR;
        }
        return sendmsg(t, new SendMsg(iov, null, null, f));
    }

    @Override
    public byte[] stat(Task t) {
        return inode.stat(t);
    }

    @Override
    public String describe() {
        return "socket:[" + inode.ino() + "]";
    }

    private static final long SIOCINQ = 0x541b, SIOCOUTQ = 0x5411, SIOCATMARK = 0x8905, SIOCGSTAMP = 0x8906,
            SIOCGSTAMPNS = 0x8907;

    @Override
    public long ioctl(Task t, long request, long arg) {
        if (request == SIOCINQ || request == SIOCOUTQ) {
            int v;
            synchronized (stack) {
                v = request == SIOCINQ ? inqLocked() : outqLocked();
            }
            t.mm().writeInt(arg, v);
            return 0;
        }
        if (request == SIOCATMARK) {
            t.mm().writeInt(arg, 0);
            return 0;
        }
        if (request == SIOCGSTAMP || request == SIOCGSTAMPNS) {
            throw new SyscallException(Errno.ENOENT);
        }
        return Interfaces.ioctl(t, request, arg, family);
    }

    // ---- options ---------------------------------------------------------------------------------------------

    /** An option value in app memory, read only as far as the option needs (Linux's copy_from_sockptr). */
    public static final class OptVal {
        final Task t;
        final long addr;
        final int len;

        public OptVal(Task t, long addr, int len) {
            this.t = t;
            this.addr = addr;
            this.len = len;
        }

        /** An int option: EINVAL below 4 bytes. */
        int readInt() {
            if (len < 4) {
                throw new SyscallException(Errno.EINVAL);
            }
            return t.mm().readInt(addr);
        }

        /** The first {@code n} bytes (the caller checked the length). */
        byte[] read(int n) {
            return t.mm().read(addr, n);
        }
    }

    /** setsockopt(2). */
    public final void setsockopt(Task t, int level, int name, OptVal v) {
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                if (level == SOL_SOCKET) {
                    setSocketOption(t, name, v, fx);
                } else {
                    setProtocolOption(t, level, name, v);
                }
            }
        } finally {
            fx.run();
        }
    }

    /** getsockopt(2): the bytes to copy out, already cut to what the caller may get ({@code len} is checked >= 0). */
    public final byte[] getsockopt(Task t, int level, int name, int len) {
        synchronized (stack) {
            if (level == SOL_SOCKET) {
                return getSocketOption(t, name, len);
            }
            return getProtocolOption(t, level, name, len);
        }
    }

    /** Options of other levels (IPPROTO_TCP...): Linux's unix sockets have none (EOPNOTSUPP). */
    void setProtocolOption(Task t, int level, int name, OptVal v) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    byte[] getProtocolOption(Task t, int level, int name, int len) {
        throw new SyscallException(Errno.EOPNOTSUPP);
    }

    /** SO_PEERCRED; sockets without a peer report pid 0, uid and gid -1. */
    Ucred peerCred() {
        return Ucred.NONE;
    }

    /** Whether the socket is listening (SO_ACCEPTCONN). */
    abstract boolean listening();

    /** SO_PASSCRED and friends: since Linux 6.16 only unix (and netlink) sockets take them. */
    boolean takesPassCred() {
        return family == AF_UNIX;
    }

    /** A buffer size changed (a waiting writer may now have room). */
    void buffersChanged(Effects fx) {
        fx.wake(this);
    }

    void setSocketOption(Task t, int name, OptVal v, Effects fx) {
        if (name == SO_BINDTODEVICE) {
            opts.boundDevice = Interfaces.bindToDevice(t, v);
            return;
        }
        if (name == SO_LINGER) {
            if (v.len < 8) {
                throw new SyscallException(Errno.EINVAL);
            }
            byte[] b = v.read(8);
            int onoff = Bytes.getInt(b, 0);
            if (onoff == 0) {
                opts.linger = false;
            } else {
                opts.linger = true;
                opts.lingerSecs = Bytes.getInt(b, 4);
            }
            return;
        }
        if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW) {
            long ns = timeout(v);
            if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW) {
                opts.rcvTimeoNs = ns;
            } else {
                opts.sndTimeoNs = ns;
            }
            return;
        }
        int val = v.readInt();
        boolean on = val != 0;
        switch (name) {
            case SO_PRIORITY -> {
                if ((val < 0 || val > 6) && !root(t)) {
                    throw new SyscallException(Errno.EPERM);
                }
                opts.priority = val;
            }
            case SO_PASSCRED, SO_PASSSEC, SO_PASSPIDFD -> {
                if (!takesPassCred()) {
                    throw new SyscallException(Errno.EOPNOTSUPP);
                }
                if (name == SO_PASSCRED) {
                    opts.passCred = on;
                } else if (name == SO_PASSSEC) {
                    opts.passSec = on;
                } else {
                    opts.passPidfd = on;
                }
            }
            case SO_TYPE, SO_PROTOCOL, SO_DOMAIN, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED, SO_PEERNAME, SO_COOKIE,
                    SO_SNDLOWAT -> throw new SyscallException(Errno.ENOPROTOOPT);
            case SO_BUSY_POLL -> {
                if (val < 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                opts.busyPoll = val;
            }
            case SO_DEBUG -> {
                if (on && !root(t)) {
                    throw new SyscallException(Errno.EACCES);
                }
                opts.debug = on;
            }
            case SO_REUSEADDR -> opts.reuseAddr = on;
            case SO_REUSEPORT -> {
                if (on && family != AF_INET && family != AF_INET6) {
                    throw new SyscallException(Errno.EOPNOTSUPP);
                }
                opts.reusePort = on;
            }
            case SO_DONTROUTE -> opts.dontRoute = on;
            case SO_BROADCAST -> opts.broadcast = on;
            case SO_SNDBUF, SO_SNDBUFFORCE -> {
                if (name == SO_SNDBUFFORCE && !root(t)) {
                    throw new SyscallException(Errno.EPERM);
                }
                long u = val & 0xffffffffL;
                if (name == SO_SNDBUF) {
                    u = Math.min(u, WMEM_MAX);
                } else if (val < 0) {
                    u = 0;
                }
                u = Math.min(u, Integer.MAX_VALUE / 2);
                opts.sndbufLocked = true;
                opts.sndbuf = (int) Math.max(u * 2, SOCK_MIN_SNDBUF);
                buffersChanged(fx);
            }
            case SO_RCVBUF, SO_RCVBUFFORCE -> {
                if (name == SO_RCVBUFFORCE && !root(t)) {
                    throw new SyscallException(Errno.EPERM);
                }
                long u = val & 0xffffffffL;
                if (name == SO_RCVBUF) {
                    u = Math.min(u, RMEM_MAX);
                } else if (val < 0) {
                    u = 0;
                }
                u = Math.min(u, Integer.MAX_VALUE / 2);
                opts.rcvbufLocked = true;
                opts.rcvbuf = (int) Math.max(u * 2, SOCK_MIN_RCVBUF);
                buffersChanged(fx);
            }
            case SO_KEEPALIVE -> opts.keepAlive = on;
            case SO_OOBINLINE -> opts.oobInline = on;
            case SO_NO_CHECK -> opts.noCheck = on;
            case SO_BSDCOMPAT -> { }
            case SO_TIMESTAMP_OLD, SO_TIMESTAMP_NEW -> {
                opts.timestamp = on;
                if (on) {
                    opts.timestampNs = false;
                }
            }
            case SO_TIMESTAMPNS_OLD, SO_TIMESTAMPNS_NEW -> {
                opts.timestampNs = on;
                opts.timestamp = on;
            }
            case SO_RCVLOWAT -> opts.rcvlowat = val < 0 ? Integer.MAX_VALUE : val == 0 ? 1 : val;
            case SO_MARK -> {
                if (!root(t)) {
                    throw new SyscallException(Errno.EPERM);
                }
                opts.mark = val;
            }
            case SO_RXQ_OVFL -> opts.rxqOvfl = on;
            case SO_SELECT_ERR_QUEUE_ -> opts.selectErrQueue = on;
            case SO_INCOMING_CPU -> opts.incomingCpu = val;
            case SO_ZEROCOPY -> {
                if (family != AF_INET && family != AF_INET6) {
                    throw new SyscallException(Errno.EOPNOTSUPP);
                }
                if (val < 0 || val > 1) {
                    throw new SyscallException(Errno.EINVAL);
                }
                opts.zeroCopy = on;
            }
            case SO_BINDTOIFINDEX -> {
                if (val != 0 && Interfaces.nameOfIndex(val) == null) {
                    throw new SyscallException(Errno.ENODEV);
                }
                opts.boundDevice = val;
            }
            case SO_BUF_LOCK -> {
                if ((val & ~3) != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                opts.sndbufLocked = (val & 1) != 0;
                opts.rcvbufLocked = (val & 2) != 0;
            }
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    private static final int SO_SELECT_ERR_QUEUE_ = 45;

    private static boolean root(Task t) {
        return t.threadGroup().creds.euid == 0;
    }

    /** sock_set_timeout: a struct timeval (16 bytes); {0,0} is no timeout, a negative second count none allowed. */
    private static long timeout(OptVal v) {
        if (v.len < 16) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] b = v.read(16);
        long sec = Bytes.getLong(b, 0);
        long usec = Bytes.getLong(b, 8);
        if (usec < 0 || usec >= 1_000_000) {
            throw new SyscallException(Errno.EDOM);
        }
        if (sec == 0 && usec == 0) {
            return -1;
        }
        if (sec < 0) {
            return 0;
        }
        if (sec >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return -1;
        }
        return sec * 1_000_000_000L + usec * 1000;
    }

    private static byte[] timeval(long ns, int len) {
        byte[] b = new byte[16];
        if (ns >= 0) {
            Bytes.putLong(b, 0, ns / 1_000_000_000L);
            Bytes.putLong(b, 8, (ns % 1_000_000_000L) / 1000);
        }
        return len >= 16 ? b : java.util.Arrays.copyOf(b, len);
    }

    byte[] getSocketOption(Task t, int name, int len) {
        switch (name) {
            case SO_LINGER -> {
                byte[] b = new byte[8];
                Bytes.putInt(b, 0, opts.linger ? 1 : 0);
                Bytes.putInt(b, 4, opts.lingerSecs);
                return len >= 8 ? b : java.util.Arrays.copyOf(b, len);
            }
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> {
                return timeval(opts.rcvTimeoNs, len);
            }
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> {
                return timeval(opts.sndTimeoNs, len);
            }
            case SO_PEERCRED -> {
                byte[] b = peerCred().bytes();
                return len >= 12 ? b : java.util.Arrays.copyOf(b, len);
            }
            case SO_PEERNAME -> {
                byte[] a;
                try {
                    a = getpeername(t);
                } catch (SyscallException e) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
                if (a.length < len) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return java.util.Arrays.copyOf(a, len);
            }
            case SO_COOKIE -> {
                if (len < 8) {
                    throw new SyscallException(Errno.EINVAL);
                }
                byte[] b = new byte[8];
                Bytes.putLong(b, 0, inode.ino());
                return b;
            }
            case SO_BINDTODEVICE -> {
                String n = opts.boundDevice == 0 ? null : Interfaces.nameOfIndex(opts.boundDevice);
                if (n == null) {
                    return new byte[0];
                }
                byte[] s = (n + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                if (len < s.length) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return s;
            }
            case SO_PEERSEC -> throw new SyscallException(Errno.ENOPROTOOPT);
            default -> {
                return Bytes.intOpt(intSocketOption(name), len);
            }
        }
    }

    private int intSocketOption(int name) {
        return switch (name) {
            case SO_DEBUG -> opts.debug ? 1 : 0;
            case SO_DONTROUTE -> opts.dontRoute ? 1 : 0;
            case SO_BROADCAST -> opts.broadcast ? 1 : 0;
            case SO_SNDBUF -> opts.sndbuf;
            case SO_RCVBUF -> opts.rcvbuf;
            case SO_REUSEADDR -> opts.reuseAddr ? 1 : 0;
            case SO_REUSEPORT -> opts.reusePort ? 1 : 0;
            case SO_KEEPALIVE -> opts.keepAlive ? 1 : 0;
            case SO_TYPE -> type;
            case SO_PROTOCOL -> protocol;
            case SO_DOMAIN -> family;
            case SO_ERROR -> takeError();
            case SO_OOBINLINE -> opts.oobInline ? 1 : 0;
            case SO_NO_CHECK -> opts.noCheck ? 1 : 0;
            case SO_PRIORITY -> opts.priority;
            case SO_BSDCOMPAT -> 0;
            case SO_TIMESTAMP_OLD -> opts.timestamp && !opts.timestampNs ? 1 : 0;
            case SO_TIMESTAMPNS_OLD -> opts.timestampNs ? 1 : 0;
            case SO_RCVLOWAT -> opts.rcvlowat;
            case SO_SNDLOWAT -> 1;
            case SO_PASSCRED -> opts.passCred ? 1 : 0;
            case SO_PASSSEC -> opts.passSec ? 1 : 0;
            case SO_PASSPIDFD -> opts.passPidfd ? 1 : 0;
            case SO_ACCEPTCONN -> listening() ? 1 : 0;
            case SO_MARK -> opts.mark;
            case SO_RXQ_OVFL -> opts.rxqOvfl ? 1 : 0;
            case SO_SELECT_ERR_QUEUE_ -> opts.selectErrQueue ? 1 : 0;
            case SO_BUSY_POLL -> opts.busyPoll;
            case SO_INCOMING_CPU -> opts.incomingCpu;
            case SO_ZEROCOPY -> opts.zeroCopy ? 1 : 0;
            case SO_BINDTOIFINDEX -> opts.boundDevice;
            case SO_BUF_LOCK -> (opts.sndbufLocked ? 1 : 0) | (opts.rcvbufLocked ? 2 : 0);
            case SO_PEEK_OFF -> throw new SyscallException(Errno.EOPNOTSUPP);
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        };
    }
}
