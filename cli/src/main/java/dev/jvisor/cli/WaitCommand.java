package dev.jvisor.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ControlProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `jvisor wait ID`: waits for the container to stop; prints {"id", "exitStatus"} and exits with the status. */
@Command(name = "wait", description = "Wait for a container to stop; prints and exits with its exit status.")
final class WaitCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        int status = new ContainerControl(store()).await(id);
        ObjectNode j = ControlProtocol.MAPPER.createObjectNode();
        j.put("id", id);
        j.put("exitStatus", status);
        out().println(ControlProtocol.MAPPER.writeValueAsString(j));
        out().flush();
        return status;
    }
}
