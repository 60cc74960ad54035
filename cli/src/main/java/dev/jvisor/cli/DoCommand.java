package dev.jvisor.cli;

import dev.jvisor.kernel.ElfProgram;
import dev.jvisor.kernel.ExitStatus;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ExecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `jvisor do -- PROGRAM [ARGS...]`: runs a program in a new sandbox, like `runsc do`. */
@Command(name = "do", description = "Run a program in a new sandbox; exits with its exit code (128+N if killed by signal N).")
final class DoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint-after", paramLabel = "DURATION",
            description = "Checkpoint the sandbox after this long (e.g. 300ms, 2s) into --image-path.")
    String checkpointAfter;

    @Option(names = "--image-path", paramLabel = "DIR", description = "Where --checkpoint-after writes the snapshot.")
    Path imagePath;

    @Option(names = "--leave-running", description = "Keep running after --checkpoint-after instead of exiting.")
    boolean leaveRunning;

    @Option(names = "--compression", paramLabel = "zstd|none", description = "Page compression for the snapshot (default zstd).")
    String compression = "zstd";

    @Option(names = {"-v", "--volume"}, paramLabel = "HOST:DEST[:ro]",
            description = "Bind-mount host directory or file HOST at DEST (absolute paths; repeatable; "
                    + "writes reach the host unless :ro).")
    List<String> volumes = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "PROGRAM [ARGS...]")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String exe = resolve(command.get(0));
        if (exe == null) {
            spec.commandLine().getErr().println("jvisor: " + command.get(0) + ": program not found");
            return 127;
        }
        CheckpointTrigger trigger = checkpointAfter == null ? null
                : CheckpointTrigger.parse(spec.commandLine(), checkpointAfter, imagePath, compression, leaveRunning);
        List<BindMount> binds = new ArrayList<>();
        for (String v : volumes) {
            try {
                binds.add(BindMount.parseVolume(v));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        List<String> env = callerEnvironment();
        try (Sandbox sb = Sandbox.create(main.global, spec.commandLine(), binds)) {
            try {
                sb.runtime.startInit(new HostProcessDefaults(new ElfProgram(exe, command, env)),
                        System.getProperty("user.dir"));
            } catch (ExecException e) {
                spec.commandLine().getErr().println("jvisor: " + e.getMessage());
                return e.errno == Errno.ENOENT ? 127 : 126;
            }
            if (trigger != null) {
                trigger.arm(sb.runtime);
            }
            SignalForwarder.install(sb.runtime);
            ExitStatus status = sb.runtime.awaitExit();
            if (trigger != null && trigger.failure() != null) {
                spec.commandLine().getErr().println("jvisor: checkpoint failed: " + trigger.failure());
            }
            return status.shellCode();
        }
    }

    /** The caller's environment in its original order (/proc/self/environ; System.getenv() has none). */
    static List<String> callerEnvironment() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
            List<String> env = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    if (i > start) {
                        env.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return env;
        } catch (java.io.IOException e) {
            List<String> env = new ArrayList<>();
            for (Map.Entry<String, String> e2 : System.getenv().entrySet()) {
                env.add(e2.getKey() + "=" + e2.getValue());
            }
            return env;
        }
    }

    /**
     * Finds the program as a shell would: a path if it has a slash (made absolute against the
     * current directory), else along $PATH. The sandbox's root is the host's, so the host's view
     * gives the same answer; the sandbox itself checks the file when it loads it.
     */
    static String resolve(String name) {
        if (name.contains("/")) {
            return Path.of(name).toAbsolutePath().normalize().toString();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name).toAbsolutePath().normalize();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
