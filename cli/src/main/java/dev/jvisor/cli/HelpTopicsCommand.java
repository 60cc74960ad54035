package dev.jvisor.cli;

import dev.jvisor.kernel.syscalls.SyscallTable;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `jvisor help [syscalls]`: usage, or the syscall coverage table. */
@Command(name = "help", description = "Show usage, or `help syscalls` for the syscall coverage table.")
final class HelpTopicsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "TOPIC")
    String topic;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (topic == null) {
            spec.parent().commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        if (!topic.equals("syscalls")) {
            spec.commandLine().getErr().println("jvisor: unknown help topic '" + topic + "' (try: syscalls)");
            return 2;
        }
        new SyscallTable().coverageReport().forEach(spec.commandLine().getOut()::println);
        return 0;
    }
}
