package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the gofer protocol on one connection, one request at a time, until the peer closes it or
 * breaks the framing. Only the exports given can be reached: see {@link HostPaths} for how walks
 * stay inside them. {@link #run} never throws: a bad request gets an error reply, a bad frame ends
 * the connection, and either way the host files are untouched.
 */
public final class GoferServer implements Runnable {
    private final ByteChannel channel;
    private final Session session;
    private final Dispatcher dispatcher;

    /**
     * @param channel a connected, blocking channel; closed when {@link #run} returns
     * @throws IOException if an export's host path does not exist
     * @throws IllegalArgumentException if two exports share a name
     */
    public GoferServer(ByteChannel channel, List<Export> exports) throws IOException {
        this(channel, resolve(exports));
    }

    GoferServer(ByteChannel channel, Map<String, ExportRoot> exports) {
        this.channel = channel;
        this.session = new Session(exports);
        this.dispatcher = new Dispatcher(session);
    }

    /** Resolves each export's host path; fails naming the first that is missing or duplicated. */
    static Map<String, ExportRoot> resolve(List<Export> exports) throws IOException {
        Map<String, ExportRoot> roots = new LinkedHashMap<>();
        for (Export e : exports) {
            if (roots.put(e.name(), ExportRoot.of(e)) != null) {
                throw new IllegalArgumentException("two exports named '" + e.name() + "'");
            }
        }
        return Map.copyOf(roots);
    }

    /** Serves until end of stream or a framing error, then closes every fid and the channel. */
    @Override
    public void run() {
        try {
            while (true) {
                int limit = session.handshakeDone() ? session.maxFrame : Protocol.MIN_FRAME;
                Frame f = Frame.read(channel, limit);
                if (f == null) {
                    return;
                }
                Frame.write(channel, answer(f));
            }
        } catch (ProtocolException e) {
            log("closing connection: " + e.getMessage());
        } catch (IOException e) {
            // The Sentry went away mid-frame or mid-reply: nothing left to answer.
        } catch (RuntimeException | Error e) {
            log("closing connection after internal error: " + e);
        } finally {
            session.fids.closeAll();
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
    }

    /** The reply frame for one request; every failure becomes an error reply. */
    private ByteBuffer answer(Frame f) {
        WireWriter out = WireWriter.frame();
        int errno;
        String message;
        try {
            if (!session.handshakeDone() && f.type() != Protocol.VERSION_REQ) {
                throw new GoferException(Errno.EPROTO, "VERSION must come first");
            }
            dispatcher.handle(f.type(), new WireReader(f.payload()), out);
            return out.finish(f.type() | Protocol.REPLY, f.tag());
        } catch (ProtocolException e) {
            errno = Errno.EINVAL;
            message = Protocol.typeName(f.type()) + ": malformed request: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            errno = ErrnoMapper.errno(e);
            message = Protocol.typeName(f.type()) + ": " + (e instanceof GoferException g ? g.detail() : e.getMessage());
            if (errno == Errno.EIO && !(e instanceof GoferException)) {
                log(message + " (" + e.getClass().getName() + ")");
            }
        }
        return error(f.tag(), errno, message);
    }

    private static ByteBuffer error(int tag, int errno, String message) {
        String m = message == null ? "" : message;
        if (m.length() > 1024) {
            m = m.substring(0, 1024); // keeps host paths in long JDK messages from bloating replies
        }
        return WireWriter.frame().u32(errno).str(m).finish(Protocol.ERROR, tag);
    }

    private static void log(String message) {
        System.err.println("jvisor-gofer: " + message);
    }
}
