package dev.jvisor.kernel.vfs;

/**
 * A directory whose children are computed on every lookup (procfs: /proc/PID comes and goes with the
 * process, /proc/PID/fd/N with the fd). The dentry cache does not keep its children, so a lookup
 * never returns an entry that no longer exists (Linux's d_revalidate for procfs).
 */
public interface DynamicDirectory {}
