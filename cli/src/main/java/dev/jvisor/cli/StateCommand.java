package dev.jvisor.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ContainerState;
import dev.jvisor.cli.container.ControlProtocol;
import dev.jvisor.cli.container.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `jvisor state ID`: the container's OCI state as JSON. */
@Command(name = "state", description = "Print a container's OCI state (JSON).")
final class StateCommand extends ContainerCommand {
    /** The runtime-spec version whose state format this is. */
    static final String OCI_VERSION = "1.0.2";

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        ContainerState s = new ContainerControl(store()).state(id);
        ObjectNode j = ControlProtocol.MAPPER.createObjectNode();
        j.put("ociVersion", OCI_VERSION);
        j.put("id", s.id());
        j.put("status", s.status().label());
        // The spec wants the pid only while there is a process; runc reports 0 once stopped.
        j.put("pid", s.status() == Status.STOPPED ? 0 : s.pid());
        j.put("bundle", s.bundle());
        // runc adds these two; runsc-compatible tools read them when present.
        j.put("created", s.created());
        j.put("owner", s.owner());
        j.putPOJO("annotations", s.annotations() == null ? java.util.Map.of() : s.annotations());
        out().println(ControlProtocol.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(j));
        out().flush();
        return 0;
    }
}
