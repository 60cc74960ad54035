package dev.jvisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jvisor.cli.container.ContainerControl;
import dev.jvisor.cli.container.ControlProtocol;
import dev.jvisor.cli.container.Tables;
import dev.jvisor.cli.oci.BundleException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `jvisor ps ID`: the sandbox's processes from the kernel's task list (UID PID CMD), or their pids as JSON. */
@Command(name = "ps", description = "List the processes running in a container.")
final class PsCommand extends ContainerCommand {
    @Option(names = "--format", paramLabel = "table|json", description = "table (default) or json (the pids, as runc prints them).")
    String format = "table";

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new BundleException("unknown format \"" + format + "\" (expected table or json)");
        }
        JsonNode procs = new ContainerControl(store()).ps(id);
        if (format.equals("json")) {
            ArrayNode pids = ControlProtocol.MAPPER.createArrayNode();
            procs.forEach(p -> pids.add(p.path("pid").asInt()));
            out().println(ControlProtocol.MAPPER.writeValueAsString(pids));
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("UID", "PID", "CMD"));
            procs.forEach(p -> rows.add(List.of(p.path("uid").asText(), p.path("pid").asText(), p.path("cmd").asText())));
            out().print(Tables.format(rows));
        }
        out().flush();
        return 0;
    }
}
