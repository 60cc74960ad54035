package dev.jvisor.kernel.net;

import static dev.jvisor.kernel.net.Sockets.*;

import java.util.Arrays;

/**
 * An IP address in IPv6 form (an IPv4 address as ::ffff:a.b.c.d, as Linux keeps dual-stack
 * sockets), with what the stack needs to know about it and the conversions to and from
 * sockaddr_in / sockaddr_in6.
 */
final class InetAddr {
    private InetAddr() {}

    static final byte[] ANY6 = new byte[16];
    static final byte[] ANY4 = mapped(0);
    static final byte[] LOOPBACK6 = loopback6();
    static final byte[] LOOPBACK4 = mapped(0x7f000001);
    /** LOOPBACK4_IPV6 (127.0.0.6): the IPv4 view of an IPv6 socket bound to a non-mapped address. */
    static final int LOOPBACK4_IPV6 = 0x7f000006;

    private static byte[] loopback6() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    /** ::ffff:v4 (v4 in host order). */
    static byte[] mapped(int v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        a[12] = (byte) (v4 >>> 24);
        a[13] = (byte) (v4 >>> 16);
        a[14] = (byte) (v4 >>> 8);
        a[15] = (byte) v4;
        return a;
    }

    static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The IPv4 address of a mapped address (host order). */
    static int v4(byte[] a) {
        return (a[12] & 0xff) << 24 | (a[13] & 0xff) << 16 | (a[14] & 0xff) << 8 | (a[15] & 0xff);
    }

    static boolean isAny6(byte[] a) {
        return Arrays.equals(a, ANY6);
    }

    /** :: or 0.0.0.0. */
    static boolean isAny(byte[] a) {
        return isAny6(a) || (isMapped(a) && v4(a) == 0);
    }

    static boolean isLoopback(byte[] a) {
        return Arrays.equals(a, LOOPBACK6) || (isMapped(a) && (v4(a) >>> 24) == 127);
    }

    static boolean isMulticast(byte[] a) {
        return isMapped(a) ? (v4(a) >>> 28) == 0xe : (a[0] & 0xff) == 0xff;
    }

    /** 255.255.255.255 or lo's broadcast 127.255.255.255. */
    static boolean isBroadcast(byte[] a) {
        return isMapped(a) && (v4(a) == 0xffffffff || v4(a) == 0x7fffffff);
    }

    /** The address an IPv4 lookup sees for a socket bound to {@code a} (Linux's inet_rcv_saddr). */
    static int v4View(int family, byte[] a) {
        if (isMapped(a)) {
            return v4(a);
        }
        return isAny6(a) ? 0 : LOOPBACK4_IPV6;
    }

    /** sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes) for a socket of {@code family}. */
    static byte[] sockaddr(int family, byte[] a, int port) {
        if (family == AF_INET) {
            byte[] s = new byte[16];
            Bytes.putShort(s, 0, AF_INET);
            Bytes.putPort(s, 2, port);
            System.arraycopy(a, 12, s, 4, 4);
            return s;
        }
        byte[] s = new byte[28];
        Bytes.putShort(s, 0, AF_INET6);
        Bytes.putPort(s, 2, port);
        System.arraycopy(a, 0, s, 8, 16);
        return s;
    }

    /** The address of a sockaddr_in (caller checked the family and length). */
    static byte[] fromSockaddrIn(byte[] s) {
        byte[] a = mapped(0);
        System.arraycopy(s, 4, a, 12, 4);
        return a;
    }

    static byte[] fromSockaddrIn6(byte[] s) {
        return Arrays.copyOfRange(s, 8, 24);
    }

    static String toString(byte[] a, int port) {
        if (isMapped(a)) {
            int v = v4(a);
            return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff) + ":" + port;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString((a[i] & 0xff) << 8 | (a[i + 1] & 0xff)));
        }
        return sb.append("]:").append(port).toString();
    }
}
