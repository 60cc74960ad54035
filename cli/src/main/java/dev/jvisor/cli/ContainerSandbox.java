package dev.jvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.container.ContainerState;
import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.container.ControlProtocol;
import dev.jvisor.cli.container.ControlServer;
import dev.jvisor.cli.container.SandboxProcess;
import dev.jvisor.cli.container.Status;
import dev.jvisor.cli.oci.Bundle;
import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ExecException;
import dev.jvisor.kernel.KernelRuntime;
import dev.jvisor.kernel.SandboxFailure;
import dev.jvisor.kernel.SignalActions;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.ThreadGroup;
import dev.jvisor.kernel.vfs.FileDescription;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container inside its sandbox process: the kernel, and the lifecycle created → running (⇄ paused)
 * → stopped that the control socket drives. It is the only writer of the container's state.json once the
 * container exists. Each transition is recorded before it is reported, so a client that finds the
 * socket gone can trust state.json.
 */
final class ContainerSandbox implements ControlServer.Handler, AutoCloseable {
    /** How init begins on `start`: a new program, or the tasks of a restored snapshot resuming. */
    @FunctionalInterface
    interface Init {
        void begin(KernelRuntime rt);
    }

    private final ContainerStore store;
    private final Sandbox sandbox;
    private final Init init;
    /** config.json's process: what `exec` starts from (user, env, cwd, capabilities, rlimits). */
    private final OciSpec.Process process;
    /** Each exec'd process that a `wait-process` will wait for (not the detached ones), until it has. */
    private final Map<Integer, ThreadGroup> execs = new ConcurrentHashMap<>();
    private ContainerState state;

    ContainerSandbox(ContainerStore store, Sandbox sandbox, Init init, String id, Bundle bundle) {
        this.store = store;
        this.sandbox = sandbox;
        this.init = init;
        this.process = bundle.spec().process();
        Map<String, String> annotations = bundle.spec().annotations();
        long pid = ProcessHandle.current().pid();
        this.state = new ContainerState(id, bundle.dir().toString(), pid, SandboxProcess.startTime(pid).orElse(0L),
                Status.CREATED, Instant.now().toString(), System.getProperty("user.name"), null,
                annotations == null ? Map.of() : new LinkedHashMap<>(annotations));
    }

    /** Records the container as created: the control socket is up, `start` may come. */
    synchronized void publish() {
        store.write(state);
    }

    /** Blocks until the container has stopped (init exited, was killed, or was checkpointed away). */
    synchronized void awaitStopped() throws InterruptedException {
        while (state.status() != Status.STOPPED) {
            wait();
        }
    }

    @Override
    public ObjectNode handle(JsonNode req) throws Exception {
        String op = req.path("op").asText();
        return switch (op) {
            case ControlProtocol.START -> start();
            case ControlProtocol.STATE -> stateReply();
            case ControlProtocol.PS -> ps();
            case ControlProtocol.KILL -> kill(req.path("signal").asInt(15), req.path("all").asBoolean(false),
                    req.has("pid") ? req.path("pid").asInt() : null);
            case ControlProtocol.WAIT -> waitReply();
            case ControlProtocol.EXEC -> exec(req);
            case ControlProtocol.WAIT_PROCESS -> waitProcess(req.path("pid").asInt());
            case ControlProtocol.PAUSE -> pause();
            case ControlProtocol.RESUME -> resume();
            case ControlProtocol.CHECKPOINT -> checkpoint(Path.of(req.path("imagePath").asText()),
                    req.path("leaveRunning").asBoolean(false), req.path("compression").asText("zstd"));
            default -> throw new BundleException("unknown control request \"" + op + "\"");
        };
    }

    private synchronized ObjectNode start() {
        if (state.status() != Status.CREATED) {
            throw new BundleException("cannot start container " + state.id() + ": it is " + state.status().label());
        }
        try {
            init.begin(sandbox.runtime);
        } catch (ExecException e) {
            int code = e.errno == Errno.ENOENT ? 127 : 126;
            stop(code);
            return ControlProtocol.error("cannot start container " + state.id() + ": " + e.getMessage(), code);
        } catch (RuntimeException e) {
            // Half-started: nothing sensible remains to run, so the container is over.
            stop(Main.EXIT_SANDBOX_ERROR);
            throw e;
        }
        setStatus(Status.RUNNING);
        Thread reaper = new Thread(this::reap, "container-reaper");
        reaper.setDaemon(true);
        reaper.start();
        return ControlProtocol.ok();
    }

    /** Waits for init to exit and records how it ended. */
    private void reap() {
        int code;
        try {
            code = sandbox.runtime.awaitExit().shellCode();
        } catch (SandboxFailure e) {
            System.err.println("jvisor: " + e.getMessage());
            code = Main.EXIT_SANDBOX_ERROR;
        } catch (InterruptedException e) {
            code = Main.EXIT_SANDBOX_ERROR;
        }
        stop(code);
    }

    private synchronized void stop(int exitStatus) {
        if (state.status() == Status.STOPPED) {
            return;
        }
        state = state.stopped(exitStatus);
        store.write(state);
        notifyAll();
    }

    private synchronized ObjectNode stateReply() {
        ObjectNode r = ControlProtocol.ok();
        r.put("status", state.status().label());
        r.put("pid", state.pid());
        return r;
    }

    private ObjectNode ps() {
        ObjectNode r = ControlProtocol.ok();
        ArrayNode list = r.putArray("processes");
        Map<Integer, Task> leaders = new LinkedHashMap<>();
        for (Task t : sandbox.runtime.kernel().tasks()) {
            leaders.putIfAbsent(t.threadGroup().tgid, t);
        }
        for (Task t : leaders.values()) {
            ObjectNode p = list.addObject();
            p.put("pid", t.threadGroup().tgid);
            p.put("uid", t.threadGroup().creds.uid);
            p.put("cmd", command(t));
        }
        return r;
    }

    private static String command(Task t) {
        if (t.threadGroup().argv != null && !t.threadGroup().argv.isEmpty()) {
            return String.join(" ", t.threadGroup().argv);
        }
        return t.threadGroup().exePath != null ? t.threadGroup().exePath : "?";
    }

    /**
     * Starts a new process in the running container, as runc exec does: config.json's process with
     * the request's args, env (added to config.json's, by name), cwd and user, and the caller's stdio.
     */
    private ObjectNode exec(JsonNode req) {
        synchronized (this) {
            if (state.status() != Status.RUNNING) {
                throw new BundleException("cannot exec in container " + state.id() + ": it is " + state.status().label());
            }
        }
        List<String> args = strings(req.path("args"));
        if (args.isEmpty() || args.get(0).isEmpty()) {
            throw new BundleException("cannot exec in container " + state.id() + ": no command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : process.env() == null ? List.<String>of() : process.env()) {
            env.put(e.substring(0, Math.max(0, e.indexOf('='))), e);
        }
        for (String e : strings(req.path("env"))) {
            env.put(e.substring(0, Math.max(0, e.indexOf('='))), e);
        }
        String cwd = req.path("cwd").asText("");
        if (cwd.isEmpty()) {
            cwd = process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
        }
        OciSpec.User user = process.user();
        if (req.has("uid")) {
            user = new OciSpec.User(req.path("uid").asInt(), req.path("gid").asInt(), null);
        }
        OciSpec.Process p = new OciSpec.Process(false, user, args, List.copyOf(env.values()), cwd, process.rlimits(),
                process.capabilities(), process.noNewPrivileges());
        FileDescription[] stdio = ExecStdio.open(req.path("stdioPid").asLong());
        ThreadGroup tg;
        try {
            tg = sandbox.runtime.spawn(new ContainerProgram(args.get(0), true, p), cwd, stdio);
        } catch (ExecException e) {
            ExecStdio.release(stdio);
            // As a shell reports a program that cannot start: 127 if not found, 126 otherwise.
            return ControlProtocol.error("cannot exec in container " + state.id() + ": " + e.getMessage(),
                    e.errno == Errno.ENOENT ? 127 : 126);
        } catch (RuntimeException e) {
            ExecStdio.release(stdio);
            throw new BundleException("cannot exec in container " + state.id() + ": " + e.getMessage());
        }
        if (!req.path("detach").asBoolean(false)) {
            execs.put(tg.tgid, tg);
        }
        ObjectNode r = ControlProtocol.ok();
        r.put("pid", tg.tgid);
        return r;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Blocks until exec'd process {@code pid} exits; its status, as a shell reports it. */
    private ObjectNode waitProcess(int pid) throws InterruptedException {
        ThreadGroup tg = execs.get(pid);
        if (tg == null) {
            throw new BundleException("container " + state.id() + " has no exec'd process " + pid + " to wait for");
        }
        // The thread group keeps its exit status after the Sentry has reaped it.
        int status = sandbox.runtime.awaitProcess(tg).shellCode();
        execs.remove(pid);
        ObjectNode r = ControlProtocol.ok();
        r.put("exitStatus", status);
        return r;
    }

    private synchronized ObjectNode pause() throws InterruptedException {
        if (state.status() != Status.RUNNING) {
            throw new BundleException("cannot pause container " + state.id() + ": it is " + state.status().label());
        }
        try {
            sandbox.runtime.pause();
        } catch (IllegalStateException e) {
            throw new BundleException("cannot pause container " + state.id() + ": " + e.getMessage());
        }
        setStatus(Status.PAUSED);
        return ControlProtocol.ok();
    }

    private synchronized ObjectNode resume() {
        if (state.status() != Status.PAUSED) {
            throw new BundleException("cannot resume container " + state.id() + ": it is " + state.status().label());
        }
        sandbox.runtime.unpause();
        setStatus(Status.RUNNING);
        return ControlProtocol.ok();
    }

    /** Records a live status (never over STOPPED: init may have exited meanwhile). */
    private void setStatus(Status s) {
        if (state.status() != Status.STOPPED) {
            state = state.withStatus(s);
            store.write(state);
        }
    }

    private ObjectNode kill(int sig, boolean all, Integer pid) {
        synchronized (this) {
            if (sig == 9 && state.status() == Status.PAUSED) {
                // As runc does for a frozen container: SIGKILL thaws it, so the kill takes effect now.
                resume();
            }
            switch (state.status()) {
                case STOPPED -> throw new BundleException("container " + state.id() + " is not running");
                case CREATED -> {
                    // Nothing runs yet: a signal whose default action ends a process ends the container.
                    SignalActions.Default d = SignalActions.defaultAction(sig);
                    if (sig == 9 || d == SignalActions.Default.TERMINATE || d == SignalActions.Default.CORE) {
                        stop(128 + sig);
                    }
                    return ControlProtocol.ok();
                }
                default -> { }
            }
        }
        if (all) {
            sandbox.runtime.signalAll(sig);
        } else if (pid != null) {
            if (!sandbox.runtime.signalProcess(pid, sig)) {
                throw new BundleException("container " + state.id() + " has no process " + pid);
            }
        } else {
            sandbox.runtime.signalInit(sig);
        }
        return ControlProtocol.ok();
    }

    private synchronized ObjectNode waitReply() throws InterruptedException {
        awaitStopped();
        ObjectNode r = ControlProtocol.ok();
        r.put("exitStatus", state.exitStatus() == null ? 0 : state.exitStatus());
        return r;
    }

    private ObjectNode checkpoint(Path dir, boolean leaveRunning, String compression) throws Exception {
        synchronized (this) {
            if (state.status() != Status.RUNNING && state.status() != Status.PAUSED) {
                throw new BundleException("cannot checkpoint container " + state.id() + ": it is " + state.status().label());
            }
        }
        // Not under this object's lock: quiescing takes a while and `state` must keep answering meanwhile.
        Checkpointing.run(sandbox.runtime, dir, CheckpointTrigger.pageOptions(null, compression), leaveRunning,
                Map.of("containerId", state.id(), "bundle", state.bundle()));
        return ControlProtocol.ok();
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
