package dev.jvisor.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options accepted before the subcommand (runsc-style) and after it. */
public final class GlobalOptions {
    @Option(names = "--platform", scope = ScopeType.INHERIT, paramLabel = "P",
            description = "How app code runs: systrap (default) or ptrace.")
    String platform = "systrap";

    @Option(names = "--strace", scope = ScopeType.INHERIT, description = "Log every syscall with decoded arguments and result to stderr.")
    boolean strace;
}
