package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.fs.tmpfs.MemSocket;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PathResolver;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An AF_UNIX socket (unix(7)) of type SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET, following Linux's
 * net/unix/af_unix.c: names in the file system (a socket file) or the abstract namespace, autobind,
 * listen/connect with embryo sockets queued on the listener (a backlog of N admits N+1), messages
 * queued on the receiver and charged to the sender's send buffer, SCM_RIGHTS and SCM_CREDENTIALS,
 * shutdown and close with EOF, EPIPE and ECONNRESET where Linux gives them.
 */
public final class UnixSocket extends SocketFile {
    private static final int UNIX_PATH_MAX = 108;
    /** The largest chunk one stream send queues as a single message (SKB_MAX_HEAD(0) + 32 KiB). */
    private static final int STREAM_CHUNK_MAX = 3776 + 32768;

    int state = TCP_CLOSE;
    /** The connected peer (kept after the peer closes, as Linux keeps unix_peer). */
    UnixSocket peer;
    /** The bound name exactly as getsockname returns it, or null. */
    byte[] addr;
    /** The socket file of a path binding (cleared when this socket closes). */
    private MemSocket node;
    private boolean abstractBound;
    final ArrayDeque<UnixMessage> recvq = new ArrayDeque<>();
    /** A listener's connections not yet accepted. */
    final ArrayDeque<UnixSocket> pending = new ArrayDeque<>();
    /** sk_max_ack_backlog: a listener's backlog, else the datagram queue limit. */
    int backlog = UNIX_MAX_DGRAM_QLEN;
    /** Truesize of this socket's messages still queued at a receiver (sk_wmem_alloc). */
    int wmem;
    private Ucred peerCred;
    /** An embryo's listener (until accepted). */
    private UnixSocket listener;
    /** SOCK_DEAD: closed. */
    boolean dead;

    private UnixSocket(NetStack stack, Task t, int type) {
        super(stack, t, AF_UNIX, type, 0, WMEM_DEFAULT, RMEM_DEFAULT);
    }

    /** unix_create: SOCK_RAW is a datagram socket; protocol must be 0 or PF_UNIX. */
    static UnixSocket create(NetStack stack, Task t, int type, int protocol) {
        if (protocol != 0 && protocol != AF_UNIX) {
            throw new SyscallException(Errno.EPROTONOSUPPORT);
        }
        return switch (type) {
            case SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET -> new UnixSocket(stack, t, type);
            case SOCK_RAW -> new UnixSocket(stack, t, SOCK_DGRAM);
            default -> throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** socketpair(2): two connected sockets of the type. */
    public static UnixSocket[] pair(NetStack stack, Task t, int type, int protocol) {
        UnixSocket a = create(stack, t, type, protocol);
        UnixSocket b = create(stack, t, type, protocol);
        synchronized (stack) {
            a.peer = b;
            b.peer = a;
            a.peerCred = Ucred.effective(t);
            b.peerCred = Ucred.effective(t);
            a.state = TCP_ESTABLISHED;
            b.state = TCP_ESTABLISHED;
        }
        return new UnixSocket[] {a, b};
    }

    private boolean connectionOriented() {
        return type == SOCK_STREAM || type == SOCK_SEQPACKET;
    }

    @Override
    boolean listening() {
        return state == TCP_LISTEN;
    }

    @Override
    Ucred peerCred() {
        return peerCred == null ? Ucred.NONE : peerCred;
    }

    // ---- names ---------------------------------------------------------------------------------------------

    private static byte[] familyOnly() {
        byte[] a = new byte[2];
        Bytes.putShort(a, 0, AF_UNIX);
        return a;
    }

    @Override
    public byte[] getsockname(Task t) {
        synchronized (stack) {
            return addr != null ? addr.clone() : familyOnly();
        }
    }

    @Override
    public byte[] getpeername(Task t) {
        synchronized (stack) {
            if (peer == null) {
                throw new SyscallException(Errno.ENOTCONN);
            }
            return peer.addr != null ? peer.addr.clone() : familyOnly();
        }
    }

    /** unix_validate_addr: a family header and at least one byte, at most sizeof(sockaddr_un). */
    private static void validate(byte[] a) {
        if (a.length <= 2 || a.length > 2 + UNIX_PATH_MAX || Bytes.getShort(a, 0) != AF_UNIX) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    private static boolean isAbstract(byte[] a) {
        return a[2] == 0;
    }

    /** The path of a file-system name: the bytes up to the first NUL within the address. */
    private static String path(byte[] a) {
        int end = 2;
        while (end < a.length && a[end] != 0) {
            end++;
        }
        return new String(a, 2, end - 2, StandardCharsets.UTF_8);
    }

    /** The stored form of a path name: family, path, NUL (unix_mkname_bsd's length). */
    private static byte[] pathAddress(byte[] a) {
        int end = 2;
        while (end < a.length && a[end] != 0) {
            end++;
        }
        byte[] s = new byte[end + 1];
        System.arraycopy(a, 0, s, 0, end);
        return s;
    }

    // ---- bind ----------------------------------------------------------------------------------------------

    @Override
    public void bind(Task t, byte[] a) {
        if (a.length == 2 && Bytes.getShort(a, 0) == AF_UNIX) {
            synchronized (stack) {
                autobindLocked();
            }
            return;
        }
        validate(a);
        if (isAbstract(a)) {
            synchronized (stack) {
                if (addr != null) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (!stack.abstractBind(type, a, this)) {
                    throw new SyscallException(Errno.EADDRINUSE);
                }
                addr = a.clone();
                abstractBound = true;
            }
            return;
        }
        bindPath(t, a);
    }

    /** unix_bind_bsd: makes the socket file (mode 0777 minus the umask), then claims it. */
    private void bindPath(Task t, byte[] a) {
        String p = path(a);
        PathResolver.Parent parent = PathResolver.resolveParent(t, t.fsContext().cwd, p);
        if (parent.name.equals(".") || parent.name.equals("..")
                || parent.dir.dentry.child(t, parent.name) != null) {
            throw new SyscallException(Errno.EADDRINUSE);
        }
        if (parent.dir.mount.readOnly) {
            throw new SyscallException(Errno.EROFS);
        }
        if (!parent.dir.inode().permits(t.threadGroup().creds, 2 | 1)) {
            throw new SyscallException(Errno.EACCES);
        }
        Inode made;
        try {
            made = parent.dir.inode().mknod(t, parent.name,
                    FileMode.S_IFSOCK | (0777 & ~t.fsContext().umask), 0);
        } catch (SyscallException e) {
            throw new SyscallException(e.errno == Errno.EEXIST ? Errno.EADDRINUSE : e.errno);
        }
        if (!(made instanceof MemSocket sock)) {
            throw new SyscallException(Errno.EPERM);
        }
        dev.jvisor.kernel.vfs.Fsnotify.created(parent.dir, parent.name, made);
        synchronized (stack) {
            if (addr == null) {
                sock.setBound(this);
                node = sock;
                addr = pathAddress(a);
                return;
            }
        }
        // Already bound: Linux removes the file it just made and fails.
        parent.dir.inode().unlink(t, parent.name, false);
        parent.dir.dentry.drop(parent.name);
        throw new SyscallException(Errno.EINVAL);
    }

    private void autobindLocked() {
        if (addr != null) {
            return;
        }
        byte[] a = stack.autobindName(type);
        stack.abstractBind(type, a, this);
        addr = a;
        abstractBound = true;
    }

    // ---- finding the other end -----------------------------------------------------------------------------

    /** Where a name points, found outside the stack's lock (path lookup walks the VFS). */
    private static final class Target {
        final byte[] abstractName;
        final Inode inode;

        Target(byte[] abstractName, Inode inode) {
            this.abstractName = abstractName;
            this.inode = inode;
        }
    }

    /** unix_find_bsd's path part: the file must exist (the walk's errno), be writable (EACCES) and a socket. */
    private static Target target(Task t, byte[] a) {
        if (isAbstract(a)) {
            return new Target(a.clone(), null);
        }
        Location l = PathResolver.resolve(t, t.fsContext().cwd, path(a), true);
        Inode i = l.inode();
        if (!i.permits(t.threadGroup().creds, 2)) {
            throw new SyscallException(Errno.EACCES);
        }
        if ((i.mode() & FileMode.S_IFMT) != FileMode.S_IFSOCK) {
            throw new SyscallException(Errno.ECONNREFUSED);
        }
        return new Target(null, i);
    }

    /** The socket bound at a target (under the lock): ECONNREFUSED if none, EPROTOTYPE if of another type. */
    private UnixSocket lookupLocked(Target tg) {
        if (tg.abstractName != null) {
            UnixSocket s = stack.abstractLookup(type, tg.abstractName);
            if (s == null) {
                throw new SyscallException(Errno.ECONNREFUSED);
            }
            return s;
        }
        Object b = tg.inode instanceof MemSocket ms ? ms.bound() : null;
        if (!(b instanceof UnixSocket s) || s.dead) {
            throw new SyscallException(Errno.ECONNREFUSED);
        }
        if (s.type != type) {
            throw new SyscallException(Errno.EPROTOTYPE);
        }
        return s;
    }

    // ---- listen, connect, accept ---------------------------------------------------------------------------

    @Override
    public void listen(Task t, int backlog) {
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                if (!connectionOriented()) {
                    throw new SyscallException(Errno.EOPNOTSUPP);
                }
                if (addr == null) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (state != TCP_CLOSE && state != TCP_LISTEN) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (backlog > this.backlog) {
                    fx.wake(this);
                }
                this.backlog = backlog;
                state = TCP_LISTEN;
                peerCred = Ucred.effective(t);
            }
        } finally {
            fx.run();
        }
    }

    @Override
    public void connect(Task t, byte[] a) {
        if (connectionOriented()) {
            streamConnect(t, a);
        } else {
            dgramConnect(t, a);
        }
    }

    private void streamConnect(Task t, byte[] a) {
        validate(a);
        synchronized (stack) {
            if (opts.passCred && addr == null) {
                autobindLocked();
            }
        }
        long deadline = deadline(t, nonblocking() ? 0 : opts.sndTimeoNs);
        while (true) {
            Target tg = target(t, a);
            Effects fx = new Effects();
            UnixSocket other;
            try {
                synchronized (stack) {
                    other = lookupLocked(tg);
                    if (other.state != TCP_LISTEN || (other.shutdown & RCV_SHUTDOWN) != 0) {
                        throw new SyscallException(Errno.ECONNREFUSED);
                    }
                    if (other.pending.size() <= other.backlog) {
                        if (state != TCP_CLOSE) {
                            throw new SyscallException(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EINVAL);
                        }
                        UnixSocket embryo = new UnixSocket(stack, t, type);
                        embryo.peer = this;
                        embryo.state = TCP_ESTABLISHED;
                        embryo.peerCred = Ucred.effective(t);
                        embryo.listener = other;
                        embryo.addr = other.addr;
                        peerCred = other.peerCred;
                        state = TCP_ESTABLISHED;
                        peer = embryo;
                        other.pending.add(embryo);
                        fx.wake(other);
                        return;
                    }
                    if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                        throw new SyscallException(Errno.EAGAIN);
                    }
                }
            } finally {
                fx.run();
            }
            UnixSocket o = other;
            int r = o.await(t, () -> o.dead || (o.shutdown & RCV_SHUTDOWN) != 0 || o.pending.size() <= o.backlog,
                    deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    private void dgramConnect(Task t, byte[] a) {
        if (a.length < 2) {
            throw new SyscallException(Errno.EINVAL);
        }
        Effects fx = new Effects();
        try {
            if (Bytes.getShort(a, 0) == AF_UNSPEC) {
                synchronized (stack) {
                    setDgramPeerLocked(null, fx);
                }
                return;
            }
            validate(a);
            synchronized (stack) {
                if (opts.passCred && addr == null) {
                    autobindLocked();
                }
            }
            Target tg = target(t, a);
            synchronized (stack) {
                UnixSocket other = lookupLocked(tg);
                if (other.peer != null && other.peer != this) {
                    throw new SyscallException(Errno.EPERM);
                }
                state = TCP_ESTABLISHED;
                other.state = TCP_ESTABLISHED;
                setDgramPeerLocked(other, fx);
            }
        } finally {
            fx.run();
        }
    }

    /** Connects a datagram socket elsewhere (or disconnects it); leaving a peer drops what came from it. */
    private void setDgramPeerLocked(UnixSocket other, Effects fx) {
        UnixSocket old = peer;
        peer = other;
        if (other == null) {
            state = TCP_CLOSE;
        }
        fx.wake(this);
        if (old != null && old != other) {
            if (!recvq.isEmpty()) {
                // unix_dgram_disconnected: messages are lost, and a peer connected back learns it.
                purgeLocked(fx);
                if (!old.dead && old.peer == this) {
                    old.err = Errno.ECONNRESET;
                    fx.wake(old);
                }
            }
            if (old.peer == null) {
                old.state = TCP_CLOSE;
            }
        }
    }

    @Override
    public SocketFile accept(Task t, boolean nonblock, int newFlags) {
        long deadline = deadline(t, nonblock ? 0 : opts.rcvTimeoNs);
        while (true) {
            Effects fx = new Effects();
            try {
                synchronized (stack) {
                    if (!connectionOriented()) {
                        throw new SyscallException(Errno.EOPNOTSUPP);
                    }
                    if (state != TCP_LISTEN) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    int e = takeError();
                    if (e != 0) {
                        throw new SyscallException(e);
                    }
                    UnixSocket s = pending.poll();
                    if (s != null) {
                        s.listener = null;
                        s.setFlags(FileMode.O_RDWR | (newFlags & FileMode.O_NONBLOCK));
                        s.opts.passCred = opts.passCred;
                        s.opts.passSec = opts.passSec;
                        s.opts.passPidfd = opts.passPidfd;
                        fx.wake(this);
                        return s;
                    }
                    if ((shutdown & RCV_SHUTDOWN) != 0) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                        throw new SyscallException(Errno.EAGAIN);
                    }
                }
            } finally {
                fx.run();
            }
            int r = await(t, () -> !pending.isEmpty() || err != 0 || (shutdown & RCV_SHUTDOWN) != 0
                    || state != TCP_LISTEN, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------

    @Override
    public long sendmsg(Task t, SendMsg m) {
        Cmsg.UnixControl uc = Cmsg.parseUnix(t, m.control);
        Effects fx = new Effects();
        try {
            if ((m.flags & MSG_OOB) != 0) {
                throw new SyscallException(Errno.EOPNOTSUPP);
            }
            if (type == SOCK_STREAM) {
                return streamSend(t, m, uc, fx);
            }
            if (type == SOCK_SEQPACKET) {
                synchronized (stack) {
                    int e = takeError();
                    if (e != 0) {
                        throw new SyscallException(e);
                    }
                    if (state != TCP_ESTABLISHED) {
                        throw new SyscallException(Errno.ENOTCONN);
                    }
                }
                return dgramSend(t, m.data, null, m.flags, uc, fx);
            }
            return dgramSend(t, m.data, m.name, m.flags, uc, fx);
        } finally {
            uc.drop(fx);
            fx.run();
        }
    }

    /** Credentials a message carries: given ones, else the sender's if either end passes credentials. */
    private Ucred credsFor(Task t, Cmsg.UnixControl uc, UnixSocket other) {
        if (uc.creds != null) {
            return uc.creds;
        }
        if (opts.passCred || opts.passPidfd || other.opts.passCred || other.opts.passPidfd) {
            return Ucred.real(t);
        }
        return null;
    }

    /** unix_stream_sendmsg: chunks of at most half the send buffer, each waiting for room in it. */
    private long streamSend(Task t, SendMsg m, Cmsg.UnixControl uc, Effects fx) {
        long len = m.data.total();
        UnixSocket other;
        synchronized (stack) {
            if (m.name != null && m.name.length > 0) {
                throw new SyscallException(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EOPNOTSUPP);
            }
            other = peer;
            if (other == null) {
                throw new SyscallException(Errno.ENOTCONN);
            }
            if ((shutdown & SEND_SHUTDOWN) != 0) {
                sigpipe(t, m.flags);
                throw new SyscallException(Errno.EPIPE);
            }
        }
        long deadline = deadline(t, m.dontWait() ? 0 : opts.sndTimeoNs);
        long sent = 0;
        boolean fdsSent = false;
        while (sent < len) {
            int size;
            synchronized (stack) {
                size = (int) Math.min(len - sent, Math.min((opts.sndbuf >> 1) - 64, STREAM_CHUNK_MAX));
            }
            int waited = waitForSendSpace(t, deadline, fx);
            if (waited != 0) {
                if (sent > 0) {
                    return sent;
                }
                if (waited == Errno.EPIPE) {
                    sigpipe(t, m.flags);
                }
                throw new SyscallException(waited);
            }
            byte[] data = new byte[size];
            try {
                m.data.read(data, 0, size);
            } catch (SyscallException e) {
                if (sent > 0) {
                    return sent;
                }
                throw e;
            }
            synchronized (stack) {
                if (other.dead || (other.shutdown & RCV_SHUTDOWN) != 0) {
                    if (sent == 0) {
                        sigpipe(t, m.flags);
                    }
                    if (sent > 0) {
                        return sent;
                    }
                    throw new SyscallException(Errno.EPIPE);
                }
                FileDescription[] rights = null;
                if (!fdsSent) {
                    rights = uc.rights;
                    uc.rights = null;
                    fdsSent = true;
                }
                queueLocked(other, new UnixMessage(data, this, credsFor(t, uc, other), rights), fx);
            }
            sent += size;
        }
        return sent;
    }

    /**
     * sock_alloc_send_pskb's wait: until this socket's queued messages are below its send buffer; 0 when
     * there is room, else the errno (the pending error, EPIPE after shutdown, EAGAIN, ERESTARTSYS).
     */
    private int waitForSendSpace(Task t, long deadline, Effects fx) {
        while (true) {
            synchronized (stack) {
                int e = takeError();
                if (e != 0) {
                    return e;
                }
                if ((shutdown & SEND_SHUTDOWN) != 0) {
                    return Errno.EPIPE;
                }
                if (wmem < opts.sndbuf) {
                    return 0;
                }
                if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                    return Errno.EAGAIN;
                }
            }
            fx.run();
            int r = await(t, () -> err != 0 || (shutdown & SEND_SHUTDOWN) != 0 || wmem < opts.sndbuf, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                return intrErrno(t, deadline);
            }
        }
    }

    private void queueLocked(UnixSocket other, UnixMessage msg, Effects fx) {
        wmem += msg.truesize;
        other.recvq.add(msg);
        fx.wake(other);
    }

    /** unix_dgram_sendmsg (also SOCK_SEQPACKET's, with no name): one message, all or nothing. */
    private long dgramSend(Task t, IoVec data, byte[] name, int flags, Cmsg.UnixControl uc, Effects fx) {
        boolean named = name != null && name.length > 0;
        if (named) {
            validate(name);
        }
        UnixSocket other = null;
        synchronized (stack) {
            if (!named) {
                other = peer;
                if (other == null) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
            }
            if ((opts.passCred || opts.passPidfd) && addr == null) {
                autobindLocked();
            }
            if (data.total() > opts.sndbuf - 32) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
        }
        long deadline = deadline(t, (flags & MSG_DONTWAIT) != 0 ? 0 : opts.sndTimeoNs);
        int waited = waitForSendSpace(t, deadline, fx);
        if (waited != 0) {
            throw new SyscallException(waited);
        }
        int len = (int) data.total();
        byte[] bytes = new byte[len];
        data.read(bytes, 0, len);
        while (true) {
            Target tg = other == null ? target(t, name) : null;
            UnixSocket o;
            synchronized (stack) {
                o = other != null ? other : lookupLocked(tg);
                if (o.peer != null && o.peer != this) {
                    throw new SyscallException(Errno.EPERM);
                }
                if (o.dead) {
                    if (type == SOCK_SEQPACKET) {
                        throw new SyscallException(Errno.EPIPE);
                    }
                    if (peer == o) {
                        peer = null;
                        state = TCP_CLOSE;
                        if (!recvq.isEmpty()) {
                            purgeLocked(fx);
                        }
                        fx.wake(this);
                        throw new SyscallException(Errno.ECONNREFUSED);
                    }
                    other = null;
                    if (!named) {
                        throw new SyscallException(Errno.ECONNRESET);
                    }
                    continue;
                }
                if ((o.shutdown & RCV_SHUTDOWN) != 0) {
                    throw new SyscallException(Errno.EPIPE);
                }
                if (o == this || o.peer == this || o.recvq.size() <= o.backlog) {
                    queueLocked(o, new UnixMessage(bytes, this, credsFor(t, uc, o), uc.rights), fx);
                    uc.rights = null;
                    return len;
                }
                if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            fx.run();
            UnixSocket oo = o;
            int r = oo.await(t, () -> oo.dead || (oo.shutdown & RCV_SHUTDOWN) != 0
                    || oo.recvq.size() <= oo.backlog, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
            other = named ? null : o;
        }
    }

    // ---- receiving -----------------------------------------------------------------------------------------

    @Override
    public long recvmsg(Task t, RecvMsg m) {
        Effects fx = new Effects();
        try {
            if (type == SOCK_STREAM) {
                return streamRecv(t, m, fx);
            }
            synchronized (stack) {
                if (type == SOCK_SEQPACKET && state != TCP_ESTABLISHED) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
            }
            return dgramRecv(t, m, fx);
        } finally {
            fx.run();
        }
    }

    /** A message is gone from a queue: its sender's buffer has room again. */
    private void consumedLocked(UnixMessage msg, Effects fx) {
        msg.from.wmem -= msg.truesize;
        fx.wake(msg.from);
        fx.wake(this);
    }

    /** unix_stream_read_generic. */
    private long streamRecv(Task t, RecvMsg m, Effects fx) {
        int flags = m.flags;
        boolean peek = m.peek();
        long size = m.data.remaining();
        long target;
        long deadline;
        synchronized (stack) {
            if (state != TCP_ESTABLISHED) {
                throw new SyscallException(Errno.EINVAL);
            }
            if ((flags & MSG_OOB) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            long t0 = (flags & MSG_WAITALL) != 0 ? size : Math.min(opts.rcvlowat, size);
            target = t0 == 0 ? 1 : t0;
            deadline = deadline(t, m.dontWait() ? 0 : opts.rcvTimeoNs);
        }
        long copied = 0;
        boolean checkCreds = false;
        Ucred scmCreds = null;
        List<FileDescription> fds = null;
        boolean nameTaken = false;
        try {
            do {
                UnixMessage last = null;
                int lastLen = 0;
                synchronized (stack) {
                    UnixMessage skb = recvq.peek();
                    if (skb == null) {
                        if (copied >= target) {
                            break;
                        }
                        int e = takeError();
                        if (e != 0) {
                            if (copied > 0) {
                                break; // Linux returns what was copied; the error is gone
                            }
                            throw new SyscallException(e);
                        }
                        if ((shutdown & RCV_SHUTDOWN) != 0) {
                            break;
                        }
                        if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                            if (copied > 0) {
                                break;
                            }
                            throw new SyscallException(Errno.EAGAIN);
                        }
                        last = recvq.peekLast();
                        lastLen = last == null ? 0 : last.data.length;
                    } else {
                        boolean again = true;
                        java.util.Iterator<UnixMessage> it = recvq.iterator();
                        UnixMessage cur = it.next();
                        while (again) {
                            again = false;
                            Ucred c = cur.creds == null ? Ucred.UNSET : cur.creds;
                            if (checkCreds) {
                                if (!c.equals(scmCreds)) {
                                    size = 0;
                                    break;
                                }
                            } else if (opts.passCred || opts.passPidfd) {
                                scmCreds = c;
                                checkCreds = true;
                            }
                            if (m.wantName && !nameTaken) {
                                m.name = cur.from.addr == null ? null : cur.from.addr.clone();
                                nameTaken = true;
                            }
                            int chunk = (int) Math.min(cur.unread(), size);
                            try {
                                m.data.write(cur.data, cur.consumed, chunk);
                            } catch (SyscallException e) {
                                if (copied == 0) {
                                    throw e;
                                }
                                size = 0;
                                break;
                            }
                            copied += chunk;
                            size -= chunk;
                            if (!peek) {
                                cur.consumed += chunk;
                                if (cur.rights != null) {
                                    fds = add(fds, cur.rights);
                                    cur.rights = null;
                                }
                                if (cur.unread() > 0) {
                                    size = 0;
                                    break;
                                }
                                recvq.poll();
                                consumedLocked(cur, fx);
                                if (fds != null) {
                                    size = 0;
                                }
                            } else {
                                if (cur.rights != null) {
                                    fds = add(fds, cur.rights);
                                    for (FileDescription f : cur.rights) {
                                        dev.jvisor.kernel.vfs.FdTable.hold(f);
                                    }
                                    size = 0;
                                    break;
                                }
                                if (it.hasNext() && size > 0) {
                                    cur = it.next();
                                    again = true;
                                } else {
                                    size = 0;
                                }
                            }
                        }
                        continue;
                    }
                }
                UnixMessage l = last;
                int ll = lastLen;
                fx.run();
                int r = await(t, () -> recvq.peekLast() != l || (l != null && l.data.length != ll) || err != 0
                        || (shutdown & RCV_SHUTDOWN) != 0, deadline);
                if (r == WaitQueue.INTERRUPTED) {
                    if (copied > 0) {
                        break;
                    }
                    throw new SyscallException(intrErrno(t, deadline));
                }
            } while (size > 0);
        } catch (SyscallException e) {
            if (fds != null) {
                m.rights = fds.toArray(new FileDescription[0]);
                Cmsg.discard(m);
            }
            throw e;
        }
        if (checkCreds) {
            m.creds = scmCreds;
        }
        if (fds != null) {
            m.rights = fds.toArray(new FileDescription[0]);
        }
        return copied;
    }

    private static List<FileDescription> add(List<FileDescription> l, FileDescription[] fs) {
        if (l == null) {
            l = new ArrayList<>();
        }
        for (FileDescription f : fs) {
            l.add(f);
        }
        return l;
    }

    /** __unix_dgram_recvmsg: one message per call, cut to the buffer (MSG_TRUNC). */
    private long dgramRecv(Task t, RecvMsg m, Effects fx) {
        if ((m.flags & MSG_OOB) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        long deadline;
        synchronized (stack) {
            deadline = deadline(t, m.dontWait() ? 0 : opts.rcvTimeoNs);
        }
        while (true) {
            synchronized (stack) {
                int e = takeError();
                if (e != 0) {
                    throw new SyscallException(e);
                }
                UnixMessage msg = recvq.peek();
                if (msg != null) {
                    return takeDatagramLocked(m, msg, fx);
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    return 0;
                }
                if (type == SOCK_SEQPACKET && state != TCP_ESTABLISHED && state != TCP_LISTEN) {
                    throw new SyscallException(Errno.ENOTCONN);
                }
                if (deadline != Long.MAX_VALUE && t.kernel.clock().now() >= deadline) {
                    throw new SyscallException(Errno.EAGAIN);
                }
            }
            fx.run();
            int r = await(t, () -> !recvq.isEmpty() || err != 0 || (shutdown & RCV_SHUTDOWN) != 0, deadline);
            if (r == WaitQueue.INTERRUPTED) {
                throw new SyscallException(intrErrno(t, deadline));
            }
        }
    }

    private long takeDatagramLocked(RecvMsg m, UnixMessage msg, Effects fx) {
        long size = m.data.remaining();
        int len = msg.data.length;
        int n = (int) Math.min(size, len);
        if (n < len) {
            m.msgFlags |= MSG_TRUNC;
        }
        m.data.write(msg.data, 0, n);
        if (m.wantName && msg.from.addr != null) {
            m.name = msg.from.addr.clone();
        }
        if (opts.passCred || opts.passPidfd) {
            m.creds = msg.creds == null ? Ucred.UNSET : msg.creds;
        }
        if (!m.peek()) {
            recvq.poll();
            if (msg.rights != null) {
                m.rights = msg.rights;
                msg.rights = null;
            }
            consumedLocked(msg, fx);
        } else if (msg.rights != null) {
            for (FileDescription f : msg.rights) {
                dev.jvisor.kernel.vfs.FdTable.hold(f);
            }
            m.rights = msg.rights.clone();
        }
        return (m.flags & MSG_TRUNC) != 0 ? len : n;
    }

    // ---- shutdown and close --------------------------------------------------------------------------------

    @Override
    public void shutdown(Task t, int how) {
        int mode = Sockets.shutdownMode(how);
        Effects fx = new Effects();
        try {
            synchronized (stack) {
                shutdown |= mode;
                fx.wake(this);
                UnixSocket other = peer;
                if (other != null && connectionOriented()) {
                    int peerMode = 0;
                    if ((mode & RCV_SHUTDOWN) != 0) {
                        peerMode |= SEND_SHUTDOWN;
                    }
                    if ((mode & SEND_SHUTDOWN) != 0) {
                        peerMode |= RCV_SHUTDOWN;
                    }
                    other.shutdown |= peerMode;
                    fx.wake(other);
                }
            }
        } finally {
            fx.run();
        }
    }

    /** Drops every queued message (their descriptors, their senders' charges). */
    private void purgeLocked(Effects fx) {
        UnixMessage msg;
        while ((msg = recvq.poll()) != null) {
            fx.drop(msg.rights);
            msg.rights = null;
            consumedLocked(msg, fx);
        }
    }

    @Override
    protected void releaseLocked(Effects fx) {
        releaseLocked(fx, false);
    }

    /** unix_release_sock; {@code embryo}: a connection its listener never accepted. */
    private void releaseLocked(Effects fx, boolean embryo) {
        if (dead) {
            return;
        }
        dead = true;
        if (abstractBound) {
            stack.abstractUnbind(type, addr, this);
            abstractBound = false;
        }
        if (node != null) {
            if (node.bound() == this) {
                node.setBound(null);
            }
            node = null;
        }
        shutdown = SHUTDOWN_MASK;
        int oldState = state;
        state = TCP_CLOSE;
        UnixSocket skpair = peer;
        peer = null;
        fx.wake(this);
        if (skpair != null) {
            if (connectionOriented()) {
                skpair.shutdown = SHUTDOWN_MASK;
                if (!recvq.isEmpty() || embryo) {
                    skpair.err = Errno.ECONNRESET;
                }
            }
            fx.wake(skpair);
        }
        if (oldState == TCP_LISTEN) {
            UnixSocket e;
            while ((e = pending.poll()) != null) {
                e.releaseLocked(fx, true);
            }
        }
        purgeLocked(fx);
    }

    // ---- state for poll and ioctl --------------------------------------------------------------------------

    private boolean writableLocked() {
        return state != TCP_LISTEN && (long) wmem << 2 <= opts.sndbuf;
    }

    @Override
    int pollLocked() {
        int mask = 0;
        if (err != 0) {
            mask |= POLLERR;
        }
        if (shutdown == SHUTDOWN_MASK) {
            mask |= POLLHUP;
        }
        if ((shutdown & RCV_SHUTDOWN) != 0) {
            mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        }
        if (!recvq.isEmpty() || !pending.isEmpty()) {
            mask |= POLLIN | POLLRDNORM;
        }
        if (type == SOCK_STREAM) {
            if (state == TCP_CLOSE) {
                mask |= POLLHUP;
            }
            if (writableLocked()) {
                mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
            }
            return mask;
        }
        if (type == SOCK_SEQPACKET && state == TCP_CLOSE) {
            mask |= POLLHUP;
        }
        boolean writable = writableLocked();
        UnixSocket other = peer;
        if (writable && other != null && other.peer != this && other.recvq.size() > other.backlog && !other.dead) {
            writable = false;
        }
        if (writable) {
            mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
        }
        return mask;
    }

    @Override
    int inqLocked() {
        if (state == TCP_LISTEN) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (connectionOriented()) {
            long n = 0;
            for (UnixMessage msg : recvq) {
                n += msg.unread();
            }
            return (int) Math.min(n, Integer.MAX_VALUE);
        }
        UnixMessage first = recvq.peek();
        return first == null ? 0 : first.data.length;
    }

    @Override
    int outqLocked() {
        return wmem;
    }

    /** Descriptors waiting in this socket's receive queue (Linux's scm_stat.nr_fds). */
    private int queuedFdsLocked() {
        int n = 0;
        for (UnixMessage msg : recvq) {
            n += msg.rights == null ? 0 : msg.rights.length;
        }
        return n;
    }

    /** unix_show_fdinfo: the descriptors in flight to this socket (to its embryos, for a listener). */
    @Override
    public String fdinfo(Task t) {
        synchronized (stack) {
            int n = 0;
            if (type == SOCK_DGRAM || state == TCP_ESTABLISHED) {
                n = queuedFdsLocked();
            } else if (state == TCP_LISTEN) {
                for (UnixSocket e : pending) {
                    n += e.queuedFdsLocked();
                }
            }
            return "scm_fds: " + n + "\n";
        }
    }
}
