package dev.jvisor.cli;

import dev.jvisor.cli.oci.Bundle;
import dev.jvisor.platform.host.Libc;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The sandbox process of one container (internal; `create`, `run` and `restore` start it in a JVM of
 * its own): builds the kernel, serves the control socket, and exits once the container has stopped
 * and every pending request has been answered.
 */
@Command(name = "sandbox", hidden = true, description = "Internal: the sandbox process of a container.")
final class SandboxCommand extends ContainerCommand {
    private static final int SYS_SETSID = 112;

    @Option(names = "--bundle", required = true, paramLabel = "DIR")
    Path bundleDir;

    @Option(names = "--restore-from", paramLabel = "DIR", description = "Resume this snapshot instead of starting config.json's process.")
    Path restoreFrom;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        // A session of its own: the terminal's Ctrl-C and hang-up go to the foreground jvisor command,
        // which forwards them to the container, rather than killing the sandbox behind its back.
        Libc.syscall(SYS_SETSID, 0, 0, 0, 0, 0, 0);
        Bundle bundle = Bundle.load(bundleDir);
        try (ContainerBoot.Booted booted = new ContainerBoot(main.global, spec.commandLine(), store(), id)
                .boot(bundle, restoreFrom)) {
            booted.awaitStopped();
        }
        return 0;
    }
}
