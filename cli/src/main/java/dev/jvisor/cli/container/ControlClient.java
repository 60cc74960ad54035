package dev.jvisor.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.oci.BundleException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The CLI side of the control socket: one request, one response ({@link ControlProtocol}). */
public final class ControlClient {
    /** The sandbox cannot be reached: it has exited (or is exiting). Callers fall back to state.json. */
    public static final class Unreachable extends IOException {
        Unreachable(String message) {
            super(message);
        }
    }

    private ControlClient() {}

    /**
     * Sends {@code request} to the sandbox at {@code socket} and returns its response. An error
     * response becomes a {@link BundleException} carrying the sandbox's message.
     */
    public static JsonNode call(Path socket, ObjectNode request) throws Unreachable {
        SocketChannel c;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new Unreachable(e.getMessage());
        }
        try (c) {
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new Unreachable("sandbox not reachable at " + socket + ": " + e.getMessage());
            }
            c.write(java.nio.ByteBuffer.wrap((ControlProtocol.MAPPER.writeValueAsString(request) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null) {
                throw new Unreachable("the sandbox closed the connection without answering");
            }
            JsonNode reply = ControlProtocol.MAPPER.readTree(line);
            if (!reply.path("ok").asBoolean(false)) {
                // An error may carry the exit status the command should end with (a program that cannot start).
                throw new BundleException(reply.path("error").asText("the sandbox refused the request"),
                        reply.path("exitStatus").asInt(125));
            }
            return reply;
        } catch (Unreachable e) {
            throw e;
        } catch (IOException e) {
            throw new Unreachable("lost the sandbox: " + e.getMessage());
        }
    }
}
