package dev.jvisor.cli;

import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.cli.oci.Rlimits;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.ElfProgram;
import dev.jvisor.kernel.ProgramImage;
import dev.jvisor.kernel.Task;
import java.util.List;

/**
 * The container's init program: config.json's user and rlimits applied to the new process before
 * its ELF image is loaded (the loader puts the uids/gids into the auxiliary vector, so order matters).
 */
final class ContainerProgram implements ProgramImage {
    private final ElfProgram elf;
    private final OciSpec.User user;
    private final List<OciSpec.Rlimit> rlimits;

    ContainerProgram(String path, OciSpec.Process p) {
        this.elf = new ElfProgram(path, p.args(), p.env() == null ? List.of() : p.env());
        this.user = p.user();
        this.rlimits = p.rlimits() == null ? List.of() : p.rlimits();
    }

    @Override
    public void loadInto(Task t) {
        if (user != null) {
            Credentials c = t.threadGroup().creds;
            c.uid = c.euid = c.suid = user.uid();
            c.gid = c.egid = c.sgid = user.gid();
        }
        for (OciSpec.Rlimit r : rlimits) {
            t.threadGroup().limits.set(Rlimits.number(r.type()), Rlimits.value(r.soft()), Rlimits.value(r.hard()));
        }
        elf.loadInto(t);
    }
}
