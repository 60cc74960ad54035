package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** Speaks raw bytes on a socket, for tests that misbehave on purpose (on either side). */
final class RawPeer implements AutoCloseable {
    private final SocketChannel ch;
    private final Selector selector;

    RawPeer(SocketChannel ch) throws IOException {
        this.ch = ch;
        ch.configureBlocking(false);
        selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
    }

    void send(byte[] bytes) throws IOException {
        send(ByteBuffer.wrap(bytes));
    }

    void send(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.write(b) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** A frame as the protocol lays it out, with any length, type, tag and payload. */
    static ByteBuffer frame(long length, int type, int tag, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(10 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) length).putShort((short) type).putInt(tag).put(payload).flip();
        return b;
    }

    /** A well-formed frame. */
    static ByteBuffer frame(int type, int tag, byte[] payload) {
        return frame(6 + payload.length, type, tag, payload);
    }

    static byte[] le(Object... fields) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        for (Object f : fields) {
            if (f instanceof Integer i) {
                b.putInt(i);
            } else if (f instanceof Long l) {
                b.putLong(l);
            } else if (f instanceof Short s) {
                b.putShort(s);
            } else if (f instanceof Byte y) {
                b.put(y);
            } else if (f instanceof String s) {
                byte[] u = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                b.putShort((short) u.length).put(u);
            } else {
                throw new IllegalArgumentException(String.valueOf(f));
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    void handshake() throws IOException {
        send(frame(Protocol.VERSION_REQ, 1, le(Protocol.VERSION, Protocol.MAX_FRAME)));
        Reply r = read(5000);
        if (r == null || r.type() != (Protocol.VERSION_REQ | Protocol.REPLY)) {
            throw new IOException("handshake failed: " + r);
        }
    }

    /** A received frame; {@code errno} is set for an error reply. */
    record Reply(int type, int tag, ByteBuffer payload) {
        int errno() {
            return type == Protocol.ERROR ? payload.getInt(0) : 0;
        }
    }

    /** The next frame, or null if the peer closed the connection. Fails after {@code timeoutMs}. */
    Reply read(long timeoutMs) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (!fill(len, timeoutMs)) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(len.getInt(0)).order(ByteOrder.LITTLE_ENDIAN);
        if (!fill(body, timeoutMs)) {
            return null;
        }
        body.flip();
        int type = body.getShort() & 0xFFFF;
        int tag = body.getInt();
        return new Reply(type, tag, body.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Whether the peer closed the connection (possibly after sending anything else). */
    boolean closedWithin(long timeoutMs) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            sink.clear();
            int n;
            try {
                n = ch.read(sink);
            } catch (IOException reset) {
                return true;
            }
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                selector.select(Math.max(1, deadline - System.currentTimeMillis()));
                selector.selectedKeys().clear();
            }
        }
        return false;
    }

    private boolean fill(ByteBuffer b, long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException("no frame within " + timeoutMs + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
        return true;
    }

    void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        ch.close();
    }
}
