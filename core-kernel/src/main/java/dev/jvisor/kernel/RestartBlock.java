package dev.jvisor.kernel;

/**
 * What restart_syscall(2) does for a blocking call that was interrupted after it had computed
 * something worth keeping (like Linux's restart_block): a sleep remembers its absolute deadline, so a
 * checkpoint or signal in the middle neither shortens nor lengthens it.
 */
public interface RestartBlock {
    long restart(Task t);
}
