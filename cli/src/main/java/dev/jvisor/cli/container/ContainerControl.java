package dev.jvisor.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.oci.BundleException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the CLI commands do to an existing container: checks its recorded state, talks to its sandbox
 * over the control socket, and falls back to state.json when the sandbox has gone.
 */
public final class ContainerControl {
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final ContainerStore store;

    public ContainerControl(ContainerStore store) {
        this.store = store;
    }

    /** The container's state as of now. */
    public ContainerState state(String id) {
        return store.require(id);
    }

    public void start(String id) {
        ContainerState s = state(id);
        if (s.status() != Status.CREATED) {
            throw new BundleException("cannot start container " + id + ": it is " + s.status().label());
        }
        call(s, ControlProtocol.request(ControlProtocol.START));
    }

    /** Blocks until init exits; its exit status as a shell reports it (128+N for signal N). */
    public int await(String id) {
        ContainerState s = state(id);
        if (s.status() != Status.STOPPED) {
            try {
                return ControlClient.call(store.socket(id), ControlProtocol.request(ControlProtocol.WAIT))
                        .path("exitStatus").asInt();
            } catch (ControlClient.Unreachable e) {
                // Stopped meanwhile: the sandbox records the exit status before it closes the socket.
                s = store.require(id);
            }
        }
        if (s.status() != Status.STOPPED || s.exitStatus() == null) {
            throw new BundleException("container " + id + ": its sandbox died without recording an exit status");
        }
        return s.exitStatus();
    }

    /** Signals init, every process ({@code all}) or the process {@code pid} (null: init). */
    public void kill(String id, int signal, boolean all, Integer pid) {
        ContainerState s = state(id);
        if (s.status() == Status.STOPPED) {
            throw new BundleException("container " + id + " is not running");
        }
        ObjectNode req = ControlProtocol.request(ControlProtocol.KILL);
        req.put("signal", signal);
        req.put("all", all);
        if (pid != null) {
            req.put("pid", pid);
        }
        call(s, req);
    }

    /** The sandbox's processes: {@code [{"pid", "uid", "cmd"}...]}. */
    public JsonNode ps(String id) {
        ContainerState s = state(id);
        if (s.status() == Status.STOPPED) {
            throw new BundleException("container " + id + " is not running");
        }
        return call(s, ControlProtocol.request(ControlProtocol.PS)).path("processes");
    }

    /**
     * Starts {@code args} in a running container with the caller's stdio; {@code env} entries are
     * added to config.json's, a null cwd or uid keeps config.json's. Returns the new process's pid,
     * which {@link #awaitProcess} waits for unless {@code detach}.
     */
    public int exec(String id, List<String> args, List<String> env, String cwd, Integer uid, Integer gid,
            boolean detach) {
        ContainerState s = state(id);
        if (s.status() != Status.RUNNING) {
            throw new BundleException("cannot exec in container " + id + ": it is " + s.status().label());
        }
        ObjectNode req = ControlProtocol.request(ControlProtocol.EXEC);
        args.forEach(req.putArray("args")::add);
        env.forEach(req.putArray("env")::add);
        if (cwd != null) {
            req.put("cwd", cwd);
        }
        if (uid != null) {
            req.put("uid", uid);
            req.put("gid", gid != null ? gid : uid);
        }
        req.put("stdioPid", ProcessHandle.current().pid());
        req.put("detach", detach);
        return call(s, req).path("pid").asInt();
    }

    /** Blocks until exec'd process {@code pid} exits; its exit status as a shell reports it. */
    public int awaitProcess(String id, int pid) {
        ObjectNode req = ControlProtocol.request(ControlProtocol.WAIT_PROCESS);
        req.put("pid", pid);
        return call(state(id), req).path("exitStatus").asInt();
    }

    /** Freezes every process of a running container. */
    public void pause(String id) {
        ContainerState s = state(id);
        if (s.status() != Status.RUNNING) {
            throw new BundleException("cannot pause container " + id + ": it is " + s.status().label());
        }
        call(s, ControlProtocol.request(ControlProtocol.PAUSE));
    }

    /** Lets the processes of a paused container run again. */
    public void resume(String id) {
        ContainerState s = state(id);
        if (s.status() != Status.PAUSED) {
            throw new BundleException("cannot resume container " + id + ": it is " + s.status().label());
        }
        call(s, ControlProtocol.request(ControlProtocol.RESUME));
    }

    public void checkpoint(String id, Path imagePath, boolean leaveRunning, String compression) {
        ContainerState s = state(id);
        if (s.status() != Status.RUNNING && s.status() != Status.PAUSED) {
            throw new BundleException("cannot checkpoint container " + id + ": it is " + s.status().label());
        }
        ObjectNode req = ControlProtocol.request(ControlProtocol.CHECKPOINT);
        req.put("imagePath", imagePath.toAbsolutePath().normalize().toString());
        req.put("leaveRunning", leaveRunning);
        req.put("compression", compression);
        call(s, req);
    }

    /**
     * Deletes the container: refuses a running one unless {@code force}, stops a live sandbox (SIGKILL
     * to init, then to the sandbox process itself if it lingers), and removes its state.
     */
    public void delete(String id, boolean force) throws InterruptedException {
        ContainerState s = store.read(id).map(ContainerState::live).orElse(null);
        if (s == null) {
            // A directory without state.json: a create in progress, or one whose caller died.
            if (!force) {
                throw new BundleException("container " + id + " is being created (use --force to delete it anyway)");
            }
            store.remove(id);
            return;
        }
        if ((s.status() == Status.RUNNING || s.status() == Status.PAUSED) && !force) {
            throw new BundleException("cannot delete container " + id + ": it is " + s.status().label()
                    + " (stop it, or use --force)");
        }
        if (s.status() != Status.STOPPED) {
            try {
                ObjectNode req = ControlProtocol.request(ControlProtocol.KILL);
                req.put("signal", 9);
                ControlClient.call(store.socket(id), req);
            } catch (ControlClient.Unreachable | BundleException e) {
                // Not answering: the process itself is killed below.
            }
        }
        if (!SandboxProcess.awaitExit(s.pid(), s.pidStartTime(), EXIT_GRACE)) {
            SandboxProcess.kill(s.pid(), s.pidStartTime());
            SandboxProcess.awaitExit(s.pid(), s.pidStartTime(), EXIT_GRACE);
        }
        store.remove(id);
    }

    private JsonNode call(ContainerState s, ObjectNode req) {
        try {
            return ControlClient.call(store.socket(s.id()), req);
        } catch (ControlClient.Unreachable e) {
            throw new BundleException("container " + s.id() + " is not running (its sandbox is gone)");
        }
    }
}
