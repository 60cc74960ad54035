package dev.jvisor.cli.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What state.json records about a container. Only the sandbox process writes it once the container
 * exists, so there is one writer; readers combine it with {@link SandboxProcess#alive} because a
 * sandbox that died (killed, crashed) could not record that it stopped.
 *
 * @param pid the sandbox JVM's host pid
 * @param pidStartTime the sandbox's start time in clock ticks since boot (/proc/PID/stat field 22),
 *        so a recycled pid is not mistaken for the sandbox
 * @param created when the container was created, ISO-8601 (RFC 3339) UTC
 * @param exitStatus the init process's exit status as a shell reports it (128+N for signal N), once stopped
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerState(String id, String bundle, long pid, long pidStartTime, Status status, String created,
        String owner, Integer exitStatus, Map<String, String> annotations) {

    public ContainerState withStatus(Status s) {
        return new ContainerState(id, bundle, pid, pidStartTime, s, created, owner, exitStatus, annotations);
    }

    public ContainerState stopped(int exit) {
        return new ContainerState(id, bundle, pid, pidStartTime, Status.STOPPED, created, owner, exit, annotations);
    }

    /** This state as seen now: stopped if the sandbox process is gone, whatever the file says. */
    public ContainerState live() {
        if (status != Status.STOPPED && !SandboxProcess.alive(pid, pidStartTime)) {
            return withStatus(Status.STOPPED);
        }
        return this;
    }
}
