package dev.jvisor.cli.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A container's OCI status. ("creating" is never recorded: a container has no state.json until it is created.) */
public enum Status {
    @JsonProperty("created") CREATED,
    @JsonProperty("running") RUNNING,
    /** Every task frozen by `jvisor pause` (a runc and runsc state beyond the OCI spec's four). */
    @JsonProperty("paused") PAUSED,
    @JsonProperty("stopped") STOPPED;

    /** The name the OCI spec uses. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
