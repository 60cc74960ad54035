package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerControl;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `jvisor exec [--cwd DIR] [--env K=V]... [--user UID[:GID]] [--detach] ID COMMAND [ARGS...]`: runs a
 * new process in a running container, as runsc exec and runc exec do: it starts from config.json's
 * process (user, env, cwd, capabilities, rlimits), takes this command's stdio, and this command exits
 * with its exit code (128+N when signal N ended it), passing SIGINT, SIGTERM and SIGHUP on to it.
 */
@Command(name = "exec", description = "Run a new process in a running container.")
final class ExecCommand extends ContainerCommand {
    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory in the container (default: config.json's).")
    String cwd;

    @Option(names = {"--env", "-e"}, paramLabel = "K=V", description = "Set an environment variable (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = {"--user", "-u"}, paramLabel = "UID[:GID]", description = "Run as this user (default: config.json's).")
    String user;

    @Option(names = {"--detach", "-d"}, description = "Return once the process has started.")
    boolean detach;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    int run() {
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--env needs KEY=VALUE, not \"" + e + "\"");
            }
        }
        Integer uid = null;
        Integer gid = null;
        if (user != null) {
            String[] parts = user.split(":", 2);
            try {
                uid = Integer.parseInt(parts[0]);
                gid = parts.length > 1 ? Integer.parseInt(parts[1]) : null;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--user needs UID[:GID] in numbers, not \"" + user + "\"");
            }
            if (uid < 0 || gid != null && gid < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--user needs UID[:GID] in numbers, not \"" + user + "\"");
            }
        }
        ContainerControl control = new ContainerControl(store());
        int pid = control.exec(id, command, env, cwd, uid, gid, detach);
        if (detach) {
            return 0;
        }
        ForegroundContainer.forwardSignals(control, id, pid);
        return control.awaitProcess(id, pid);
    }
}
