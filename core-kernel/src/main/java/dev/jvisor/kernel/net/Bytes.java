package dev.jvisor.kernel.net;

/** Little- and big-endian field access on byte arrays (socket structs are little-endian, ports and addresses big). */
final class Bytes {
    private Bytes() {}

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static long getLong(byte[] b, int off) {
        return (getInt(b, off) & 0xffffffffL) | (long) getInt(b, off + 4) << 32;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) v);
        putInt(b, off + 4, (int) (v >>> 32));
    }

    static int getShort(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    /** A network-order (big-endian) 16-bit value: ports. */
    static int getPort(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    static void putPort(byte[] b, int off, int port) {
        b[off] = (byte) (port >>> 8);
        b[off + 1] = (byte) port;
    }

    /** {@code int} options: the value, truncated to the caller's length as Linux copies min(len, 4) bytes. */
    static byte[] intOpt(int v, int len) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return len >= 4 ? b : java.util.Arrays.copyOf(b, Math.max(len, 0));
    }
}
