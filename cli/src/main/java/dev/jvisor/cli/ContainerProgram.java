package dev.jvisor.cli;

import dev.jvisor.cli.oci.OciSpec;
import dev.jvisor.cli.oci.Rlimits;
import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.ElfProgram;
import dev.jvisor.kernel.ProgramImage;
import dev.jvisor.kernel.Task;
import java.util.List;

/**
 * The container's init program: config.json's user (with its additional groups), capabilities,
 * noNewPrivileges and rlimits applied to the new process before its ELF image is loaded (the loader
 * puts the uids/gids into the auxiliary vector and derives the capability sets, so order matters).
 */
final class ContainerProgram implements ProgramImage {
    private final String path;
    private final boolean searchPath;
    private final List<String> args;
    private final List<String> env;
    private final OciSpec.User user;
    private final List<OciSpec.Rlimit> rlimits;
    private final OciSpec.CapabilitySets caps;
    private final boolean noNewPrivileges;

    /** {@code path}: the executable (a sandbox path); if {@code searchPath}, looked up in PATH as execvp does. */
    ContainerProgram(String path, boolean searchPath, OciSpec.Process p) {
        this.path = path;
        this.searchPath = searchPath;
        this.args = p.args();
        this.env = p.env() == null ? List.of() : p.env();
        this.user = p.user();
        this.rlimits = p.rlimits() == null ? List.of() : p.rlimits();
        this.caps = p.capabilities();
        this.noNewPrivileges = p.noNewPrivileges();
    }

    @Override
    public void loadInto(Task t) {
        Credentials c = t.threadGroup().creds;
        if (user != null) {
            c.setAllUids(user.uid());
            c.setAllGids(user.gid());
            if (user.additionalGids() != null) {
                c.setGroups(user.additionalGids().stream().mapToInt(Integer::intValue).toArray());
            }
        }
        if (caps != null) {
            // As runc: the spec's sets replace the runtime's; the exec that starts the program then
            // derives root's permitted and effective sets from the bounding and inheritable ones.
            c.capBounding = capSet(caps.bounding());
            c.capEffective = capSet(caps.effective());
            c.capInheritable = capSet(caps.inheritable());
            c.capPermitted = capSet(caps.permitted());
            c.capAmbient = capSet(caps.ambient()) & c.capPermitted & c.capInheritable;
        }
        t.settings.noNewPrivs = noNewPrivileges;
        for (OciSpec.Rlimit r : rlimits) {
            t.threadGroup().limits.set(Rlimits.number(r.type()), Rlimits.value(r.soft()), Rlimits.value(r.hard()));
        }
        // Looked up once the credentials are the program's: they decide what is executable.
        String exe = searchPath ? ElfProgram.lookPath(t, path, env) : path;
        new ElfProgram(exe, args, env).loadInto(t);
    }

    /** A set from capability names; names this kernel does not know are left out, as gVisor does. */
    private static long capSet(List<String> names) {
        long set = 0;
        if (names != null) {
            for (String n : names) {
                int cap = Capabilities.byName(n);
                if (cap >= 0) {
                    set |= Capabilities.bit(cap);
                }
            }
        }
        return set;
    }
}
