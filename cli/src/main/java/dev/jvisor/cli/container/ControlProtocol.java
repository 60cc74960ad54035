package dev.jvisor.cli.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's control protocol: over the container's unix socket, one JSON object per line, one
 * request and one response per connection. A request is {@code {"op": OP, ...}}; a response is
 * {@code {"ok": true, ...}} or {@code {"ok": false, "error": MESSAGE}}.
 *
 * <ul>
 * <li>{@code start}: runs the created container's init (or resumes a restored one).</li>
 * <li>{@code state}: {@code {"status", "pid"}}.</li>
 * <li>{@code ps}: {@code {"processes": [{"pid", "uid", "cmd"}...]}}, one per thread group.</li>
 * <li>{@code kill} {@code {"signal": N, "all": B, "pid": P}}: signals init, every process (all) or
 * process P; SIGKILL also ends a created container.</li>
 * <li>{@code wait}: blocks until init exits; {@code {"exitStatus": N}} (128+N for signal N).</li>
 * <li>{@code checkpoint} {@code {"imagePath", "leaveRunning", "compression"}}: writes a snapshot.</li>
 * <li>{@code pause}, {@code resume}: freezes every task of a running container, and thaws them.</li>
 * <li>{@code exec} {@code {"args", "env", "cwd", "uid", "gid", "stdioPid", "detach"}}: starts a process
 * with the stdio of process stdioPid (the caller); {@code {"pid"}}.</li>
 * <li>{@code wait-process} {@code {"pid"}}: blocks until that exec'd process exits; {@code {"exitStatus"}}.</li>
 * </ul>
 */
public final class ControlProtocol {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String START = "start", STATE = "state", PS = "ps", KILL = "kill", WAIT = "wait",
            CHECKPOINT = "checkpoint", PAUSE = "pause", RESUME = "resume", EXEC = "exec", WAIT_PROCESS = "wait-process";

    private ControlProtocol() {}

    public static ObjectNode request(String op) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("op", op);
        return n;
    }

    public static ObjectNode ok() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ok", true);
        return n;
    }

    /** An error response that also says the exit status the command should end with. */
    public static ObjectNode error(String message, int exitStatus) {
        return error(message).put("exitStatus", exitStatus);
    }

    static ObjectNode error(String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ok", false);
        n.put("error", message);
        return n;
    }
}
