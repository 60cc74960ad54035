package dev.jvisor.gofer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's end of the socket: one request/reply round trip at a time under a lock, with a
 * deadline on both the send and the reply. The channel is non-blocking and waited on with a
 * private Selector, so the calling thread does its own I/O (no hand-off to a reader thread, which
 * costs a cross-CPU wake-up) and yet never waits past the deadline. Any transport or framing
 * failure breaks the connection for good: every later call fails at once with EIO.
 */
final class ClientConnection implements AutoCloseable {
    /** Decodes a reply payload; runs under the lock so a malformed reply can break the connection. */
    interface Decoder<T> {
        T decode(WireReader r) throws ProtocolException;
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer lengthBuf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private int nextTag = 1;
    private int maxFrame = Protocol.MIN_FRAME;
    /** Why the connection is unusable; null while it is healthy. */
    private volatile String broken;

    ClientConnection(SocketChannel channel, Duration timeout) throws IOException {
        if (!channel.isConnected()) {
            throw new IOException("gofer channel is not connected");
        }
        this.channel = channel;
        this.timeoutNanos = timeout.toNanos();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    void setMaxFrame(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    int maxFrame() {
        return maxFrame;
    }

    boolean isBroken() {
        return broken != null;
    }

    /**
     * Sends {@code request} as a frame of {@code type} and decodes the matching reply.
     *
     * @throws GoferException with the server's errno for an error reply, or EIO if the connection
     *     is or becomes unusable (closed, timed out, garbage received)
     */
    <T> T call(int type, WireWriter request, Decoder<T> decoder) throws GoferException {
        boolean interrupted = false;
        lock.lock();
        try {
            checkUsable();
            int tag = nextTag;
            nextTag = nextTag == Integer.MAX_VALUE ? 1 : nextTag + 1;
            ByteBuffer frame = request.finish(type, tag);
            if (frame.remaining() - 4L > maxFrame) {
                throw new GoferException(Errno.EINVAL, Protocol.typeName(type) + ": request of " + frame.remaining() + " bytes exceeds the frame limit");
            }
            long deadline = System.nanoTime() + timeoutNanos;
            String what = Protocol.typeName(type);
            try {
                while (frame.hasRemaining()) {
                    if (channel.write(frame) == 0) {
                        interrupted |= await(SelectionKey.OP_WRITE, deadline, what);
                    }
                }
                lengthBuf.clear();
                interrupted |= readFully(lengthBuf, deadline, what);
                long length = Integer.toUnsignedLong(lengthBuf.getInt(0));
                if (length < Protocol.LENGTH_OVERHEAD || length > maxFrame) {
                    throw fail(what + ": reply frame length " + length + " out of range");
                }
                ByteBuffer body = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
                interrupted |= readFully(body, deadline, what);
                body.flip();
                int replyType = body.getShort() & 0xFFFF;
                int replyTag = body.getInt();
                if (replyTag != tag) {
                    throw fail(what + ": reply has tag " + replyTag + ", expected " + tag);
                }
                WireReader r = new WireReader(body.slice());
                if (replyType == Protocol.ERROR) {
                    throw serverError(what, r);
                }
                if (replyType != (type | Protocol.REPLY)) {
                    throw fail(what + ": reply of type " + Protocol.typeName(replyType) + " (" + replyType + ")");
                }
                T result = decoder.decode(r);
                r.end();
                return result;
            } catch (ProtocolException e) {
                throw fail(what + ": malformed reply: " + e.getMessage());
            } catch (EOFException e) {
                throw fail(what + ": the gofer closed the connection");
            } catch (IOException e) {
                if (e instanceof GoferException g) {
                    throw g;
                }
                throw fail(what + ": " + e);
            } catch (RuntimeException e) {
                // A concurrent close() (closed selector, cancelled key) or a reply field out of range.
                throw fail(what + ": " + e);
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt(); // a round trip is not abandoned; the caller sees the interrupt after
            }
        }
    }

    @Override
    public void close() {
        if (broken == null) {
            broken = "closed by the client";
        }
        closeChannel();
    }

    private GoferException serverError(String what, WireReader r) throws ProtocolException {
        int errno = r.u32();
        String message = r.str();
        r.end();
        if (errno <= 0 || errno > 4095) {
            throw new ProtocolException("error reply with errno " + errno);
        }
        return new GoferException(errno, message.isEmpty() ? what : message);
    }

    private void checkUsable() throws GoferException {
        String why = broken;
        if (why != null) {
            throw new GoferException(Errno.EIO, "gofer connection unusable: " + why);
        }
    }

    /** Reads until {@code dst} is full; returns whether the thread was interrupted meanwhile. */
    private boolean readFully(ByteBuffer dst, long deadline, String what) throws IOException {
        boolean interrupted = false;
        while (dst.hasRemaining()) {
            int n = channel.read(dst);
            if (n < 0) {
                throw new EOFException();
            }
            if (n == 0) {
                interrupted |= await(SelectionKey.OP_READ, deadline, what);
            }
        }
        return interrupted;
    }

    /**
     * Waits until the channel is ready for {@code op} or the deadline passes. A pending interrupt
     * would make select return at once forever, so it is cleared here and reported to the caller.
     */
    private boolean await(int op, long deadline, String what) throws IOException {
        boolean interrupted = false;
        key.interestOps(op);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw fail(what + ": no reply from the gofer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
            if (Thread.interrupted()) {
                interrupted = true;
            }
            if (ready > 0 || broken != null) {
                key.interestOps(0);
                return interrupted;
            }
        }
    }

    /** Breaks the connection and returns the EIO every caller gets from now on. */
    private GoferException fail(String reason) {
        if (broken == null) {
            broken = reason;
        }
        closeChannel();
        return new GoferException(Errno.EIO, "gofer connection lost: " + reason);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Same.
        }
    }
}
