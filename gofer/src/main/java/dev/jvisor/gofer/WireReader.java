package dev.jvisor.gofer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a payload, checking every read against the bytes left: a short or malformed payload is
 * a {@link ProtocolException}, never a buffer exception.
 */
final class WireReader {
    private final ByteBuffer buf;

    WireReader(ByteBuffer payload) {
        this.buf = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int u8() throws ProtocolException {
        need(1, "u8");
        return buf.get() & 0xFF;
    }

    int u16() throws ProtocolException {
        need(2, "u16");
        return buf.getShort() & 0xFFFF;
    }

    int u32() throws ProtocolException {
        need(4, "u32");
        return buf.getInt();
    }

    long u64() throws ProtocolException {
        need(8, "u64");
        return buf.getLong();
    }

    boolean bool() throws ProtocolException {
        int v = u8();
        if (v > 1) {
            throw new ProtocolException("boolean field holds " + v);
        }
        return v == 1;
    }

    /** A u16-counted UTF-8 string; malformed UTF-8 is refused rather than replaced. */
    String str() throws ProtocolException {
        int n = u16();
        need(n, "string");
        ByteBuffer bytes = buf.slice().limit(n);
        buf.position(buf.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("string is not valid UTF-8");
        }
    }

    /** A u32-counted blob, as a read-only view into the payload. */
    ByteBuffer bytes() throws ProtocolException {
        int n = u32();
        if (n < 0) {
            throw new ProtocolException("blob length " + Integer.toUnsignedString(n) + " too large");
        }
        need(n, "blob");
        ByteBuffer slice = buf.slice().limit(n).asReadOnlyBuffer();
        buf.position(buf.position() + n);
        return slice;
    }

    Timespec timespec() throws ProtocolException {
        long sec = u64();
        int nsec = u32();
        if (nsec < 0 || nsec >= 1_000_000_000) {
            throw new ProtocolException("nanoseconds field holds " + Integer.toUnsignedString(nsec));
        }
        return new Timespec(sec, nsec);
    }

    /** Asserts the payload is used up: trailing bytes mean the peer and we disagree on the format. */
    void end() throws ProtocolException {
        if (buf.hasRemaining()) {
            throw new ProtocolException(buf.remaining() + " unexpected trailing bytes");
        }
    }

    private void need(int n, String what) throws ProtocolException {
        if (buf.remaining() < n) {
            throw new ProtocolException("payload truncated reading " + what);
        }
    }
}
