package dev.jvisor.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `jvisor run --bundle DIR [--detach] [--pid-file F] ID`: create + start, and unless detached, wait
 * for the program, delete the container and exit with the program's exit status.
 */
@Command(name = "run", description = "Create and start a container; without --detach, wait for it and exit with its status.")
final class RunCommand extends ContainerCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", description = "The bundle directory (default: the current directory).")
    Path bundle = Path.of(".");

    @Option(names = {"--detach", "-d"}, description = "Return once the container runs, leaving it running.")
    boolean detach;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the sandbox process's pid here.")
    Path pidFile;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run() throws Exception {
        if (!detach) {
            return new ContainerLauncher(main).runHere(spec.commandLine(), id, bundle, pidFile, null);
        }
        int created = new ContainerLauncher(main).create(id, bundle, pidFile, null);
        if (created != 0) {
            return created;
        }
        return ForegroundContainer.startDetached(store(), id);
    }
}
