package dev.jvisor.cli;

import dev.jvisor.cli.container.ContainerStore;
import dev.jvisor.cli.oci.BundleException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of the container subcommands: a user error ({@link BundleException}) ends the command with one
 * "jvisor: ..." line on stderr and the error's exit code, instead of Main's generic handler.
 */
abstract class ContainerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (BundleException e) {
            err().println("jvisor: " + e.getMessage());
            return e.exitCode();
        }
    }

    abstract int run() throws Exception;

    ContainerStore store() {
        return main.containers.store();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
