package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The port bindings of one transport protocol (TCP or UDP; they have separate port spaces): which
 * sockets hold each port, with Linux's conflict rules (inet_bind_conflict / udp_lib_lport_inuse and
 * inet_rcv_saddr_equal across IPv4, IPv6 and dual-stack sockets), ephemeral ports from
 * net.ipv4.ip_local_port_range, and the lookups that deliver a connection or a datagram.
 *
 * <p>A closed TCP connection that closed first stays here for 60 seconds (TIME_WAIT / FIN_WAIT2 in
 * Linux), so rebinding its port needs SO_REUSEADDR, as on Linux.
 */
final class InetPorts {
    /** How long a connection closed first keeps its port (TCP_TIMEWAIT_LEN, tcp_fin_timeout). */
    static final long LINGER_NS = 60_000_000_000L;

    private final TreeMap<Integer, ArrayList<InetSocket>> owners = new TreeMap<>();
    private int cursor = new java.util.Random().nextInt(EPHEMERAL_HIGH - EPHEMERAL_LOW + 1);

    List<InetSocket> holders(int port) {
        ArrayList<InetSocket> l = owners.get(port);
        return l == null ? List.of() : l;
    }

    void add(int port, InetSocket s) {
        owners.computeIfAbsent(port, p -> new ArrayList<>()).add(s);
    }

    void remove(int port, InetSocket s) {
        ArrayList<InetSocket> l = owners.get(port);
        if (l != null) {
            l.remove(s);
            if (l.isEmpty()) {
                owners.remove(port);
            }
        }
    }

    /** Forgets closed connections whose linger time is over. */
    private void prune(int port, long now) {
        ArrayList<InetSocket> l = owners.get(port);
        if (l == null) {
            return;
        }
        l.removeIf(s -> s.lingerUntil != 0 && now >= s.lingerUntil);
        if (l.isEmpty()) {
            owners.remove(port);
        }
    }

    /**
     * inet_rcv_saddr_equal(sk, sk2, true): whether a socket of {@code family} binding {@code addr}
     * ({@code v6only}) overlaps with {@code h}'s binding.
     */
    static boolean overlap(int family, byte[] addr, boolean v6only, InetSocket h) {
        int v4a = InetAddr.v4View(family, addr);
        int v4b = InetAddr.v4View(h.family, h.localAddr);
        if (family == AF_INET) {
            if (h.v6only) {
                return false;
            }
            return v4a == v4b || v4a == 0 || v4b == 0;
        }
        boolean mappedA = InetAddr.isMapped(addr);
        boolean mappedB = h.family == AF_INET || InetAddr.isMapped(h.localAddr);
        boolean anyA = InetAddr.isAny6(addr);
        boolean anyB = h.family == AF_INET6 && InetAddr.isAny6(h.localAddr);
        if (mappedA && mappedB) {
            if (!h.v6only) {
                return v4a == v4b || v4a == 0 || v4b == 0;
            }
            return false;
        }
        if (anyA && anyB) {
            return true;
        }
        if (anyB && !(h.v6only && mappedA)) {
            return true;
        }
        if (anyA && !(v6only && mappedB)) {
            return true;
        }
        return h.family == AF_INET6 && Arrays.equals(addr, h.localAddr);
    }

    /** Whether binding {@code s} to addr:port conflicts with a socket already there. */
    boolean inUse(InetSocket s, byte[] addr, boolean v6only, int port, boolean tcp, long now) {
        prune(port, now);
        for (InetSocket h : holders(port)) {
            if (h == s || !overlap(s.family, addr, v6only, h)) {
                continue;
            }
            boolean bothReuse = s.opts.reuseAddr && h.opts.reuseAddr;
            if (tcp ? bothReuse && !h.listening() : bothReuse) {
                continue;
            }
            if (s.opts.reusePort && h.opts.reusePort) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** A port in the ephemeral range that nobody holds (EADDRINUSE if there is none, as Linux's get_port). */
    int ephemeral(long now) {
        int range = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        for (int i = 0; i < range; i++) {
            cursor = (cursor + 1) % range;
            int port = EPHEMERAL_LOW + cursor;
            prune(port, now);
            if (!owners.containsKey(port)) {
                return port;
            }
        }
        throw new SyscallException(Errno.EADDRINUSE);
    }

    /**
     * The listening socket a TCP connection to {@code daddr}:port reaches, as __inet_lookup_listener and
     * inet6_lookup_listener find it: an exact address before a wildcard, an IPv4 socket before a
     * dual-stack one; null if none listens.
     */
    TcpSocket listener(byte[] daddr, int port) {
        TcpSocket best = null;
        int bestScore = 0;
        for (InetSocket h : holders(port)) {
            if (!(h instanceof TcpSocket l) || !l.listening() || l.lingerUntil != 0) {
                continue;
            }
            int score = matchLocal(h, daddr);
            if (score > bestScore) {
                best = l;
                bestScore = score;
            }
        }
        return best;
    }

    /** How well a socket bound to its address takes traffic for {@code daddr}: 0 not at all. */
    private static int matchLocal(InetSocket h, byte[] daddr) {
        if (InetAddr.isMapped(daddr)) {
            if (h.family == AF_INET6 && h.v6only) {
                return 0;
            }
            int v = InetAddr.v4View(h.family, h.localAddr);
            int d = InetAddr.v4(daddr);
            int fam = h.family == AF_INET ? 1 : 0;
            if (v == d) {
                return 4 + fam;
            }
            return v == 0 ? 2 + fam : 0;
        }
        if (h.family != AF_INET6) {
            return 0;
        }
        if (Arrays.equals(h.localAddr, daddr)) {
            return 4;
        }
        return InetAddr.isAny6(h.localAddr) ? 2 : 0;
    }

    /**
     * The UDP socket a datagram from saddr:sport to daddr:dport is delivered to (__udp4_lib_lookup's
     * scoring: connected sockets only take their peer's datagrams and win over unconnected ones; the
     * most recently bound wins a tie); null if none.
     */
    UdpSocket udpTarget(byte[] daddr, int dport, byte[] saddr, int sport) {
        UdpSocket best = null;
        int bestScore = 0;
        List<InetSocket> l = holders(dport);
        for (int i = l.size() - 1; i >= 0; i--) {
            if (!(l.get(i) instanceof UdpSocket u) || u.dead) {
                continue;
            }
            int score = matchLocal(u, daddr);
            if (score == 0) {
                continue;
            }
            if (u.remotePort != 0) {
                if (u.remotePort != sport || !sameAddress(u.remoteAddr, saddr)) {
                    continue;
                }
                score += 8;
            }
            if (score > bestScore) {
                best = u;
                bestScore = score;
            }
        }
        return best;
    }

    static boolean sameAddress(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
