package dev.jvisor.cli;

import dev.jvisor.cli.oci.BundleException;
import dev.jvisor.cli.oci.SpecTemplate;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `jvisor spec [--bundle DIR] [-- ARGS...]`: writes a template config.json (never over an existing one). */
@Command(name = "spec", description = "Write a template config.json into the bundle directory (default: the current directory).")
final class SpecCommand extends ContainerCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", description = "Where to write config.json.")
    Path bundle = Path.of(".");

    @Option(names = "--cwd", paramLabel = "DIR", description = "process.cwd (default /).")
    String cwd = "/";

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "process.args (default: sh).")
    List<String> args = new ArrayList<>();

    @Override
    int run() throws Exception {
        Path config = bundle.resolve("config.json").toAbsolutePath().normalize();
        if (!Files.isDirectory(config.getParent())) {
            throw new BundleException("bundle " + config.getParent() + ": no such directory");
        }
        String json = SpecTemplate.json(args.isEmpty() ? List.of("sh") : args, cwd);
        try {
            Files.writeString(config, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new BundleException(config + " already exists; remove it first");
        }
        return 0;
    }
}
