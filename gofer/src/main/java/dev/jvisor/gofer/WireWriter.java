package dev.jvisor.gofer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one frame in a growable little-endian buffer: the header is reserved first and filled by
 * {@link #finish}, so encoders append the payload without knowing its length.
 */
final class WireWriter {
    private ByteBuffer buf;

    private WireWriter(int capacity) {
        buf = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(Protocol.HEADER_SIZE);
    }

    /** A frame whose payload is about to be written. */
    static WireWriter frame() {
        return new WireWriter(128);
    }

    /** A frame with room for {@code payload} bytes, to spare regrowth of big READ replies. */
    static WireWriter frame(int payload) {
        return new WireWriter(Protocol.HEADER_SIZE + payload);
    }

    WireWriter u8(int v) {
        ensure(1).put((byte) v);
        return this;
    }

    WireWriter u16(int v) {
        ensure(2).putShort((short) v);
        return this;
    }

    WireWriter u32(int v) {
        ensure(4).putInt(v);
        return this;
    }

    WireWriter u64(long v) {
        ensure(8).putLong(v);
        return this;
    }

    /**
     * A string: u16 byte count then UTF-8.
     *
     * @throws IllegalArgumentException if its UTF-8 form is longer than 65535 bytes
     */
    WireWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + b.length + " bytes does not fit a u16 length");
        }
        ensure(2 + b.length).putShort((short) b.length).put(b);
        return this;
    }

    /** A byte blob: u32 byte count then the bytes (consumed from {@code src}). */
    WireWriter bytes(ByteBuffer src) {
        ensure(4 + src.remaining()).putInt(src.remaining()).put(src);
        return this;
    }

    WireWriter timespec(Timespec t) {
        return u64(t.sec()).u32(t.nsec());
    }

    /** Current write position, for {@link #patchU32}. */
    int position() {
        return buf.position();
    }

    void patchU32(int position, int v) {
        buf.putInt(position, v);
    }

    /**
     * A view of the next {@code n} bytes for a channel to fill in place (READ replies), after which
     * the caller {@link #skip}s what was filled.
     */
    ByteBuffer window(int n) {
        ensure(n);
        ByteBuffer w = buf.duplicate();
        w.limit(buf.position() + n);
        return w;
    }

    void skip(int n) {
        buf.position(buf.position() + n);
    }

    /** Fills the header and returns the whole frame, ready to be written. */
    ByteBuffer finish(int type, int tag) {
        buf.putInt(0, buf.position() - 4);
        buf.putShort(4, (short) type);
        buf.putInt(6, tag);
        buf.flip();
        return buf;
    }

    private ByteBuffer ensure(int n) {
        if (buf.remaining() < n) {
            long wanted = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(wanted, Integer.MAX_VALUE - 8))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }
}
