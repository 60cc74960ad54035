package dev.jvisor.state;

/** Page geometry shared by the page chunk format. */
final class Pages {
    static final int SIZE = 4096;
    private static final byte[] ZERO = new byte[SIZE];

    private Pages() {}

    /** Whether the page at {@code off} is all zero; Arrays.mismatch is vectorized by the JIT. */
    static boolean isZero(byte[] b, int off) {
        return java.util.Arrays.mismatch(b, off, off + SIZE, ZERO, 0, SIZE) < 0;
    }
}
