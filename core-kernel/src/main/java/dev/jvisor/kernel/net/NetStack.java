package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * The sandbox's network stack (DESIGN.md §8, stage 1): Unix sockets and loopback TCP and UDP, all in
 * Sentry memory, joined socket to socket with no packets and no host resources, so a checkpoint holds
 * every connection with its data in flight. One per kernel ({@code Kernel.net()}).
 *
 * <p>It is also the lock of all socket state: every socket operation runs under its monitor, and waits
 * happen on the sockets' wait queues outside it.
 */
public final class NetStack {
    private final SockFs sockFs;
    /** Bound abstract AF_UNIX names, keyed by socket type and name (Linux hashes the type in). */
    private final HashMap<String, UnixSocket> abstractNames = new HashMap<>();
    /** The next autobind name to try (Linux starts at a random number). */
    private int autobindNext;
    /** TCP and UDP port bindings (separate port spaces, as in Linux). */
    final InetPorts tcpPorts = new InetPorts();
    final InetPorts udpPorts = new InetPorts();

    private final dev.jvisor.kernel.MonotonicClock clock;

    public NetStack(long dev, dev.jvisor.kernel.MonotonicClock clock) {
        this.clock = clock;
        sockFs = new SockFs(dev);
        autobindNext = new java.util.Random().nextInt(0x100000);
    }

    /** The sandbox's monotonic clock (port hold times). */
    dev.jvisor.kernel.MonotonicClock clock() {
        return clock;
    }

    public SockFs sockFs() {
        return sockFs;
    }

    SocketInode newInode(Task t) {
        int uid = t == null ? 0 : t.threadGroup().creds.euid;
        int gid = t == null ? 0 : t.threadGroup().creds.egid;
        return new SocketInode(sockFs, uid, gid);
    }

    /**
     * socket(2) after the flags are split off: the errnos of Linux's __sock_create and each family's
     * create (EAFNOSUPPORT, EINVAL, ESOCKTNOSUPPORT, EPROTONOSUPPORT). AF_NETLINK and AF_PACKET are not
     * in stage 1 and give EAFNOSUPPORT, as a kernel without them does.
     */
    public SocketFile socket(Task t, int family, int type, int protocol) {
        if (family < 0 || family >= Sockets.AF_MAX) {
            throw new SyscallException(Errno.EAFNOSUPPORT);
        }
        if (type < 0 || type >= Sockets.SOCK_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
        return switch (family) {
            case Sockets.AF_UNIX -> UnixSocket.create(this, t, type, protocol);
            case Sockets.AF_INET, Sockets.AF_INET6 -> InetSockets.create(this, t, family, type, protocol);
            default -> throw new SyscallException(Errno.EAFNOSUPPORT);
        };
    }

    // ---- AF_UNIX abstract names ---------------------------------------------------------------------------

    private static String key(int type, byte[] addr) {
        return type + ":" + new String(addr, StandardCharsets.ISO_8859_1);
    }

    UnixSocket abstractLookup(int type, byte[] addr) {
        return abstractNames.get(key(type, addr));
    }

    /** Claims an abstract name; false if it is taken. */
    boolean abstractBind(int type, byte[] addr, UnixSocket s) {
        return abstractNames.putIfAbsent(key(type, addr), s) == null;
    }

    void abstractUnbind(int type, byte[] addr, UnixSocket s) {
        abstractNames.remove(key(type, addr), s);
    }

    /** A free autobind name: "\0" and five hex digits (unix_autobind); ENOSPC when all are taken. */
    byte[] autobindName(int type) {
        for (int tries = 0; tries < 0x100000; tries++) {
            autobindNext = (autobindNext + 1) & 0xfffff;
            byte[] a = new byte[8];
            Bytes.putShort(a, 0, Sockets.AF_UNIX);
            byte[] hex = String.format("%05x", autobindNext).getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(hex, 0, a, 3, 5);
            if (!abstractNames.containsKey(key(type, a))) {
                return a;
            }
        }
        throw new SyscallException(Errno.ENOSPC);
    }
}
