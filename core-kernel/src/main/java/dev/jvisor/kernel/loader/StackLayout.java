package dev.jvisor.kernel.loader;

import java.util.List;

/**
 * Where {@link InitialStack#build} put things; the kernel keeps it for /proc/pid/cmdline, environ and
 * auxv (Linux's mm->arg_start, env_start, saved_auxv).
 *
 * @param rsp initial stack pointer, 16-byte aligned, pointing at argc
 * @param argc argument count stored at rsp
 * @param argvAddr address of the argv pointer array (rsp + 8)
 * @param envpAddr address of the envp pointer array
 * @param auxvAddr address of the first auxv pair
 * @param argStart address of the first argument string (mm->arg_start)
 * @param argEnd end of the last argument string, including its NUL (mm->arg_end, = envStart)
 * @param envStart address of the first environment string (mm->env_start)
 * @param envEnd end of the last environment string (mm->env_end, = execfnAddr)
 * @param execfnAddr address of the execfn string (AT_EXECFN)
 * @param randomAddr address of the 16 random bytes (AT_RANDOM)
 * @param platformAddr address of the platform string (AT_PLATFORM), 0 if none
 * @param auxv the auxiliary vector as written, ending with AT_NULL
 */
public record StackLayout(long rsp, long argc, long argvAddr, long envpAddr, long auxvAddr, long argStart,
                          long argEnd, long envStart, long envEnd, long execfnAddr, long randomAddr,
                          long platformAddr, List<Auxv.Entry> auxv) {
    public StackLayout {
        auxv = List.copyOf(auxv);
    }
}
