package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Task;

/**
 * One syscall's implementation: returns the result, or a negated errno (it may also throw
 * {@link dev.jvisor.kernel.SyscallException}).
 */
@FunctionalInterface
public interface SyscallHandler {
    long call(Task t, SyscallArgs a);
}
