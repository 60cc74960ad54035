package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.charset.StandardCharsets;

/**
 * The sandbox's network interfaces, as the SIOCGIF* ioctls show them: stage 1 has only the loopback
 * device {@code lo} (index 1, 127.0.0.1/8, MTU 65536, UP|LOOPBACK|RUNNING), with Linux's values.
 */
final class Interfaces {
    private Interfaces() {}

    static final String LO = "lo";
    static final int LO_INDEX = 1, LO_MTU = 65536, LO_TXQLEN = 1000;
    static final int IFF_UP = 0x1, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40;
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int IFREQ = 40, IFNAMSIZ = 16;

    private static final long SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913,
            SIOCGIFADDR = 0x8915, SIOCGIFDSTADDR = 0x8917, SIOCGIFBRDADDR = 0x8919, SIOCGIFNETMASK = 0x891b,
            SIOCGIFMETRIC = 0x891d, SIOCGIFMTU = 0x8921, SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933,
            SIOCGIFTXQLEN = 0x8942, SIOCGIFMAP = 0x8970;

    static String nameOfIndex(int index) {
        return index == LO_INDEX ? LO : null;
    }

    static int indexOfName(String name) {
        return LO.equals(name) ? LO_INDEX : 0;
    }

    /** SO_BINDTODEVICE: an interface name (empty: unbind); returns the index bound, ENODEV if none has that name. */
    static int bindToDevice(Task t, SocketFile.OptVal v) {
        if (v.len < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int n = Math.min(v.len, IFNAMSIZ - 1);
        String name = n == 0 ? "" : cString(v.read(n), 0, n);
        if (name.isEmpty()) {
            return 0;
        }
        int index = indexOfName(name);
        if (index == 0) {
            throw new SyscallException(Errno.ENODEV);
        }
        return index;
    }

    private static String cString(byte[] b, int off, int max) {
        int end = off;
        while (end < off + max && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }

    /**
     * The interface ioctls any socket takes (Linux's sock_ioctl and dev_ioctl); the address ones only
     * on AF_INET sockets (devinet_ioctl). Anything else is ENOTTY, as for a socket in Linux.
     */
    static long ioctl(Task t, long req, long arg, int family) {
        if (req == SIOCGIFCONF) {
            return ifconf(t, arg);
        }
        boolean addressReq = req == SIOCGIFADDR || req == SIOCGIFDSTADDR || req == SIOCGIFBRDADDR
                || req == SIOCGIFNETMASK;
        boolean devReq = req == SIOCGIFNAME || req == SIOCGIFFLAGS || req == SIOCGIFMETRIC || req == SIOCGIFMTU
                || req == SIOCGIFHWADDR || req == SIOCGIFINDEX || req == SIOCGIFTXQLEN || req == SIOCGIFMAP;
        if (!devReq && !(addressReq && family == Sockets.AF_INET)) {
            if (req >= 0x8900 && req <= 0x89ff && isSet(req)) {
                throw new SyscallException(Errno.EPERM);
            }
            throw new SyscallException(Errno.ENOTTY);
        }
        byte[] ifr = t.mm().read(arg, IFREQ);
        if (req == SIOCGIFNAME) {
            String name = nameOfIndex(Bytes.getInt(ifr, IFNAMSIZ));
            if (name == null) {
                throw new SyscallException(Errno.ENODEV);
            }
            byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
            java.util.Arrays.fill(ifr, 0, IFNAMSIZ, (byte) 0);
            System.arraycopy(n, 0, ifr, 0, n.length);
            t.mm().copyOut(arg, ifr, 0, IFREQ);
            return 0;
        }
        String name = cString(ifr, 0, IFNAMSIZ - 1);
        String dev = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        if (indexOfName(dev) == 0) {
            throw new SyscallException(Errno.ENODEV);
        }
        if (addressReq && !dev.equals(name)) {
            throw new SyscallException(Errno.EADDRNOTAVAIL); // no alias labels on lo
        }
        byte[] u = new byte[24];
        if (req == SIOCGIFFLAGS) {
            Bytes.putShort(u, 0, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
        } else if (req == SIOCGIFMTU) {
            Bytes.putInt(u, 0, LO_MTU);
        } else if (req == SIOCGIFINDEX) {
            Bytes.putInt(u, 0, LO_INDEX);
        } else if (req == SIOCGIFTXQLEN) {
            Bytes.putInt(u, 0, LO_TXQLEN);
        } else if (req == SIOCGIFHWADDR) {
            Bytes.putShort(u, 0, ARPHRD_LOOPBACK);
        } else if (req == SIOCGIFADDR) {
            inet(u, new byte[] {127, 0, 0, 1});
        } else if (req == SIOCGIFNETMASK) {
            inet(u, new byte[] {(byte) 255, 0, 0, 0});
        } else if (req == SIOCGIFBRDADDR || req == SIOCGIFDSTADDR) {
            inet(u, new byte[4]);
        }
        System.arraycopy(u, 0, ifr, IFNAMSIZ, 24);
        t.mm().copyOut(arg, ifr, 0, IFREQ);
        return 0;
    }

    private static boolean isSet(long req) {
        return req == 0x8914 || req == 0x8916 || req == 0x8918 || req == 0x891a || req == 0x891c || req == 0x891e
                || req == 0x8922 || req == 0x8924 || req == 0x8934 || req == 0x8943 || req == 0x8923;
    }

    private static void inet(byte[] u, byte[] addr) {
        Bytes.putShort(u, 0, Sockets.AF_INET);
        System.arraycopy(addr, 0, u, 4, 4);
    }

    /** SIOCGIFCONF: one ifreq per IPv4 address (lo's 127.0.0.1); a NULL buffer asks for the length needed. */
    private static long ifconf(Task t, long arg) {
        byte[] ifc = t.mm().read(arg, 16);
        int len = Bytes.getInt(ifc, 0);
        long buf = Bytes.getLong(ifc, 8);
        int total = 0;
        if (buf == 0) {
            total = IFREQ;
        } else if (len >= IFREQ) {
            byte[] ifr = new byte[IFREQ];
            byte[] n = LO.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(n, 0, ifr, 0, n.length);
            byte[] u = new byte[24];
            inet(u, new byte[] {127, 0, 0, 1});
            System.arraycopy(u, 0, ifr, IFNAMSIZ, 24);
            t.mm().copyOut(buf, ifr, 0, IFREQ);
            total = IFREQ;
        }
        t.mm().writeInt(arg, total);
        return 0;
    }
}
