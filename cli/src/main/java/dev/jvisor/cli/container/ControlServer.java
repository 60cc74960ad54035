package dev.jvisor.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.oci.BundleException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sandbox side of the control socket ({@link ControlProtocol}): accepts connections on a thread of
 * its own and serves each on a thread, since `wait` blocks until the container exits.
 */
public final class ControlServer implements AutoCloseable {
    /** Answers one request; an exception becomes an error response with its message. */
    @FunctionalInterface
    public interface Handler {
        ObjectNode handle(JsonNode request) throws Exception;
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private int active;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
    }

    /** Binds {@code path} (replacing a stale socket file) and starts accepting. */
    public static ControlServer start(Path path, Handler handler) {
        try {
            Files.deleteIfExists(path);
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            ControlServer s = new ControlServer(path, ch, handler);
            Thread t = new Thread(s::acceptLoop, "control-accept");
            t.setDaemon(true);
            t.start();
            return s;
        } catch (IOException e) {
            throw new BundleException("cannot listen on " + path + ": " + e.getMessage());
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            synchronized (this) {
                active++;
            }
            Thread t = new Thread(() -> serve(c), "control-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                return;
            }
            ObjectNode reply;
            try {
                reply = handler.handle(ControlProtocol.MAPPER.readTree(line));
            } catch (Exception e) {
                reply = ControlProtocol.error(e.getMessage() != null ? e.getMessage() : e.toString());
            }
            OutputStream out = Channels.newOutputStream(c);
            out.write((ControlProtocol.MAPPER.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            synchronized (this) {
                active--;
                notifyAll();
            }
        }
    }

    /** Waits up to {@code millis} for the requests in progress to be answered (before the sandbox exits). */
    public synchronized void awaitIdle(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (active > 0 && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    /** Stops accepting and removes the socket file, so clients fall back to state.json. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Best effort: a stale socket only refuses connections.
        }
    }
}
