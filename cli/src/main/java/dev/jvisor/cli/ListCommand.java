package dev.jvisor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvisor.cli.container.ContainerState;
import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.container.ControlProtocol;
import dev.jvisor.cli.container.Status;
import dev.jvisor.cli.container.Tables;
import dev.jvisor.cli.oci.BundleException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `jvisor list`: the containers in the state directory, as runsc's table (or IDs, or JSON). */
@Command(name = "list", description = "List containers: ID PID STATUS BUNDLE CREATED OWNER.")
final class ListCommand extends ContainerCommand {
    @Option(names = {"--quiet", "-q"}, description = "Print only the IDs.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "table|json", description = "Output format (default table).")
    String format = "table";

    @Override
    int run() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new BundleException("unknown format \"" + format + "\" (expected table or json)");
        }
        List<ContainerState> states = states(store());
        if (quiet) {
            states.forEach(s -> out().println(s.id()));
        } else if (format.equals("json")) {
            ArrayNode a = ControlProtocol.MAPPER.createArrayNode();
            for (ContainerState s : states) {
                ObjectNode o = a.addObject();
                o.put("ociVersion", StateCommand.OCI_VERSION).put("id", s.id()).put("pid", pid(s))
                        .put("status", s.status().label()).put("bundle", s.bundle()).put("created", s.created())
                        .put("owner", s.owner());
            }
            out().println(ControlProtocol.MAPPER.writeValueAsString(a));
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"));
            for (ContainerState s : states) {
                rows.add(List.of(s.id(), Long.toString(pid(s)), s.status().label(), s.bundle(), s.created(),
                        s.owner() == null ? "" : s.owner()));
            }
            out().print(Tables.format(rows));
        }
        out().flush();
        return 0;
    }

    private static long pid(ContainerState s) {
        return s.status() == Status.STOPPED ? 0 : s.pid();
    }

    /** Created containers only: one still being created has no state to show yet. */
    private static List<ContainerState> states(ContainerStore store) {
        List<ContainerState> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                store.read(id).map(ContainerState::live).ifPresent(out::add);
            } catch (BundleException e) {
                // Deleted while we listed, or an unreadable entry: not a container to show.
            }
        }
        return out;
    }
}
