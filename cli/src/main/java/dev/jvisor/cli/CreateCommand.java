package dev.jvisor.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `jvisor create --bundle DIR [--pid-file F] ID`: builds the sandbox; the program waits for `start`. */
@Command(name = "create", description = "Create a container from an OCI bundle; `start` runs it.")
final class CreateCommand extends ContainerCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", description = "The bundle directory (default: the current directory).")
    Path bundle = Path.of(".");

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the sandbox process's pid here.")
    Path pidFile;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        return new ContainerLauncher(main).create(id, bundle, pidFile, null);
    }
}
