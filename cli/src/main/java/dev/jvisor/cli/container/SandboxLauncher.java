package dev.jvisor.cli.container;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a sandbox process: a new JVM running this jar's {@code dev.jvisor.cli.Main} with the given
 * arguments (the hidden {@code sandbox} subcommand), with the same JVM options, and with the
 * caller's stdin, stdout and stderr, which the container keeps after the caller exits.
 */
public final class SandboxLauncher {
    private SandboxLauncher() {}

    public static Process launch(List<String> jvisorArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger agent would clash with the caller's on its port.
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.jvisor.cli.Main");
        cmd.addAll(jvisorArgs);
        return new ProcessBuilder(cmd).inheritIO().start();
    }
}
