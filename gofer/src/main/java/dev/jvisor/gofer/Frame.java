package dev.jvisor.gofer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** One received frame, and the server's blocking reads and writes of whole frames. */
record Frame(int type, int tag, ByteBuffer payload) {

    /**
     * Reads one frame.
     *
     * @return null at end of stream before a frame starts
     * @throws ProtocolException for a length outside [6, maxFrame]: the stream cannot be resynchronised
     * @throws EOFException if the stream ends inside a frame
     */
    static Frame read(ReadableByteChannel ch, int maxFrame) throws IOException, ProtocolException {
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(ch, len, true)) {
            return null;
        }
        long length = Integer.toUnsignedLong(len.getInt(0));
        if (length < Protocol.LENGTH_OVERHEAD || length > maxFrame) {
            throw new ProtocolException("frame length " + length + " outside [" + Protocol.LENGTH_OVERHEAD + ", " + maxFrame + "]");
        }
        ByteBuffer body = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, body, false);
        body.flip();
        int type = body.getShort() & 0xFFFF;
        int tag = body.getInt();
        return new Frame(type, tag, body.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    static void write(WritableByteChannel ch, ByteBuffer frame) throws IOException {
        while (frame.hasRemaining()) {
            ch.write(frame);
        }
    }

    /** Fills {@code dst}; false if the stream ended before its first byte and {@code eofOk}. */
    private static boolean readFully(ReadableByteChannel ch, ByteBuffer dst, boolean eofOk) throws IOException {
        boolean first = true;
        while (dst.hasRemaining()) {
            int n = ch.read(dst);
            if (n < 0) {
                if (first && eofOk) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
            first = false;
        }
        return true;
    }
}
