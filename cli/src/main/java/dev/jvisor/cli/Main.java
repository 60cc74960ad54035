package dev.jvisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The jvisor command line: global options first (runsc-style), then a subcommand. */
@Command(name = "jvisor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "An application kernel in Java with checkpoint/restore at its centre.",
        subcommands = {DoCommand.class, RestoreCommand.class, HelpTopicsCommand.class,
                RunCommand.class, CreateCommand.class, StartCommand.class, StateCommand.class, ListCommand.class,
                PsCommand.class, KillCommand.class, ExecCommand.class, PauseCommand.class, ResumeCommand.class, WaitCommand.class,
                DeleteCommand.class, SpecCommand.class,
                CheckpointCommand.class, SandboxCommand.class, SnapshotCommand.class})
public final class Main {
    @Mixin
    GlobalOptions global;

    @Mixin
    ContainerOptions containers;

    /** Exit code when jvisor itself (not the app) fails: bad snapshot, dead stub, host error. */
    static final int EXIT_SANDBOX_ERROR = 125;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("jvisor: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("JVISOR_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return EXIT_SANDBOX_ERROR;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("jvisor: " + ex.getMessage());
            return 2;
        });
        // As runsc exec: everything after the container ID is the command, options included.
        cl.getSubcommands().get("exec").setStopAtPositional(true);
        System.exit(cl.execute(args));
    }
}
