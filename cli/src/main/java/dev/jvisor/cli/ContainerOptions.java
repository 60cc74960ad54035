package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The container commands' global option (runsc's --root), accepted before or after the subcommand. */
public final class ContainerOptions {
    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "State directory for containers (default /run/jvisor for root, else $XDG_RUNTIME_DIR/jvisor).")
    Path root;

    /** The state directory in use. */
    ContainerStore store() {
        return new ContainerStore(root != null ? root : ContainerStore.defaultRoot());
    }
}
