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

    @Option(names = "--total-memory", scope = ScopeType.INHERIT, paramLabel = "SIZE", converter = MemorySize.class,
            description = "Most memory the sandbox may populate, e.g. 512m or 4g (default: 3/4 of the host's RAM). "
                    + "Beyond it the app's allocation fails inside the sandbox.")
    Long totalMemory;

    /** The memory file's capacity for a new sandbox. */
    long memoryCapacity() {
        return totalMemory != null ? totalMemory : MemorySize.defaultCapacity();
    }
}
