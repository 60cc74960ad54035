package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.CredentialsCommit;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.ProcessSettings;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.TaskSettings;
import java.nio.charset.StandardCharsets;

/**
 * prctl(2) (kernel/sys.c, security/commoncap.c cap_task_prctl) and personality(2). The capability
 * options run first, as the capability module sees prctl before the rest of the kernel; options
 * this kernel does not have are EINVAL, as Linux answers unknown options.
 */
final class SysPrctl {
    private SysPrctl() {}

    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_GET_TIMING = 13, PR_SET_TIMING = 14, PR_SET_NAME = 15,
            PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24,
            PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28, PR_SET_TIMERSLACK = 29, PR_GET_TIMERSLACK = 30,
            PR_TASK_PERF_EVENTS_DISABLE = 31, PR_TASK_PERF_EVENTS_ENABLE = 32, PR_SET_CHILD_SUBREAPER = 36,
            PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39,
            PR_GET_TID_ADDRESS = 40, PR_SET_THP_DISABLE = 41, PR_GET_THP_DISABLE = 42, PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_LOWER = 3,
            PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int PR_TIMING_STATISTICAL = 0;
    /** TASK_COMM_LEN: names are at most 15 bytes and a NUL. */
    private static final int TASK_COMM_LEN = 16;
    private static final int NSIG = 64;
    private static final long GET_PERSONALITY = 0xffffffffL;

    /** prctl(2) */
    static long prctl(Task t, SyscallArgs a) {
        int option = (int) a.a0;
        long arg2 = a.a1, arg3 = a.a2, arg4 = a.a3, arg5 = a.a4;
        Long r = capabilityOption(t, option, arg2, arg3, arg4, arg5);
        if (r != null) {
            return r;
        }
        TaskSettings s = t.settings;
        ProcessSettings ps = t.threadGroup().settings;
        switch (option) {
            case PR_SET_PDEATHSIG -> {
                if (arg2 > NSIG || arg2 < 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                t.pdeathSignal = (int) arg2;
                return 0;
            }
            case PR_GET_PDEATHSIG -> {
                t.mm().writeInt(arg2, t.pdeathSignal);
                return 0;
            }
            case PR_GET_DUMPABLE -> {
                return ps.dumpable;
            }
            case PR_SET_DUMPABLE -> {
                if (arg2 != ProcessSettings.SUID_DUMP_DISABLE && arg2 != ProcessSettings.SUID_DUMP_USER) {
                    throw new SyscallException(Errno.EINVAL);
                }
                ps.dumpable = (int) arg2;
                return 0;
            }
            case PR_GET_TIMING -> {
                return PR_TIMING_STATISTICAL;
            }
            case PR_SET_TIMING -> {
                if (arg2 != PR_TIMING_STATISTICAL) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return 0;
            }
            case PR_SET_NAME -> {
                String name = readName(t, arg2);
                s.comm = name;
                if (t.tid == t.threadGroup().tgid) {
                    // /proc/PID/comm and stat show the main thread's name
                    t.threadGroup().comm = name;
                }
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] b = new byte[TASK_COMM_LEN];
                byte[] n = TaskSettings.commOf(t).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(n, 0, b, 0, Math.min(n.length, TASK_COMM_LEN - 1));
                t.mm().copyOut(arg2, b, 0, b.length);
                return 0;
            }
            case PR_GET_SECCOMP -> {
                return 0;
            }
            case PR_GET_TIMERSLACK -> {
                return s.timerSlackNs;
            }
            case PR_SET_TIMERSLACK -> {
                if (s.policy == TaskSettings.SCHED_FIFO || s.policy == TaskSettings.SCHED_RR) {
                    return 0; // real-time tasks have no slack; Linux ignores the request
                }
                s.timerSlackNs = arg2 == 0 ? s.defaultTimerSlackNs : arg2;
                return 0;
            }
            case PR_TASK_PERF_EVENTS_DISABLE, PR_TASK_PERF_EVENTS_ENABLE -> {
                return 0;
            }
            case PR_SET_CHILD_SUBREAPER -> {
                t.threadGroup().childSubreaper = arg2 != 0;
                return 0;
            }
            case PR_GET_CHILD_SUBREAPER -> {
                t.mm().writeInt(arg2, t.threadGroup().childSubreaper ? 1 : 0);
                return 0;
            }
            case PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                s.noNewPrivs = true;
                return 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return s.noNewPrivs ? 1 : 0;
            }
            case PR_GET_TID_ADDRESS -> {
                t.mm().writeLong(arg2, t.clearChildTid);
                return 0;
            }
            case PR_SET_THP_DISABLE -> {
                if (arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                s.thpDisable = arg2 != 0;
                return 0;
            }
            case PR_GET_THP_DISABLE -> {
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return s.thpDisable ? 1 : 0;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
    }

    /** strncpy_from_user of at most 15 bytes: stops at a NUL, faults only on bytes it needs. */
    private static String readName(Task t, long addr) {
        byte[] b = new byte[TASK_COMM_LEN - 1];
        int n = 0;
        while (n < b.length) {
            long at = addr + n;
            int chunk = (int) Math.min(b.length - n, 4096 - (at & 4095));
            t.mm().copyIn(at, b, n, chunk);
            for (int i = n; i < n + chunk; i++) {
                if (b[i] == 0) {
                    return new String(b, 0, i, StandardCharsets.UTF_8);
                }
            }
            n += chunk;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** The options security/commoncap.c handles (cap_task_prctl); null for the others. */
    private static Long capabilityOption(Task t, int option, long arg2, long arg3, long arg4, long arg5) {
        Credentials c = t.threadGroup().creds;
        switch (option) {
            case PR_CAPBSET_READ -> {
                if (!Capabilities.valid(arg2)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return (c.capBounding & Capabilities.bit((int) arg2)) != 0 ? 1L : 0L;
            }
            case PR_CAPBSET_DROP -> {
                if (!c.hasCap(Capabilities.CAP_SETPCAP)) {
                    throw new SyscallException(Errno.EPERM);
                }
                if (!Capabilities.valid(arg2)) {
                    throw new SyscallException(Errno.EINVAL);
                }
                Credentials n = c.copy();
                n.capBounding &= ~Capabilities.bit((int) arg2);
                CredentialsCommit.commit(t, n);
                return 0L;
            }
            case PR_GET_SECUREBITS -> {
                return (long) c.securebits;
            }
            case PR_SET_SECUREBITS -> {
                int old = c.securebits;
                if ((((old & Credentials.SECURE_ALL_LOCKS) >> 1) & (old ^ arg2)) != 0
                        || (old & Credentials.SECURE_ALL_LOCKS & ~arg2) != 0
                        || (arg2 & ~(long) (Credentials.SECURE_ALL_LOCKS | Credentials.SECURE_ALL_BITS)) != 0
                        || !c.hasCap(Capabilities.CAP_SETPCAP)) {
                    throw new SyscallException(Errno.EPERM);
                }
                Credentials n = c.copy();
                n.securebits = (int) arg2;
                CredentialsCommit.commit(t, n);
                return 0L;
            }
            case PR_GET_KEEPCAPS -> {
                return c.secure(Credentials.SECURE_KEEP_CAPS) ? 1L : 0L;
            }
            case PR_SET_KEEPCAPS -> {
                if (Long.compareUnsigned(arg2, 1) > 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (c.secure(Credentials.SECURE_KEEP_CAPS_LOCKED)) {
                    throw new SyscallException(Errno.EPERM);
                }
                Credentials n = c.copy();
                n.securebits = arg2 != 0 ? n.securebits | 1 << Credentials.SECURE_KEEP_CAPS
                        : n.securebits & ~(1 << Credentials.SECURE_KEEP_CAPS);
                CredentialsCommit.commit(t, n);
                return 0L;
            }
            case PR_CAP_AMBIENT -> {
                return ambient(t, c, arg2, arg3, arg4, arg5);
            }
            default -> {
                return null;
            }
        }
    }

    /** PR_CAP_AMBIENT: raising needs the capability permitted and inheritable. */
    private static long ambient(Task t, Credentials c, long op, long cap, long arg4, long arg5) {
        if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
            if (cap != 0 || arg4 != 0 || arg5 != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            Credentials n = c.copy();
            n.capAmbient = 0;
            CredentialsCommit.commit(t, n);
            return 0;
        }
        if (!Capabilities.valid(cap) || arg4 != 0 || arg5 != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long bit = Capabilities.bit((int) cap);
        if (op == PR_CAP_AMBIENT_IS_SET) {
            return (c.capAmbient & bit) != 0 ? 1 : 0;
        }
        if (op != PR_CAP_AMBIENT_RAISE && op != PR_CAP_AMBIENT_LOWER) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (op == PR_CAP_AMBIENT_RAISE && ((c.capPermitted & bit) == 0 || (c.capInheritable & bit) == 0
                || c.secure(Credentials.SECURE_NO_CAP_AMBIENT_RAISE))) {
            throw new SyscallException(Errno.EPERM);
        }
        Credentials n = c.copy();
        n.capAmbient = op == PR_CAP_AMBIENT_RAISE ? n.capAmbient | bit : n.capAmbient & ~bit;
        CredentialsCommit.commit(t, n);
        return 0;
    }

    /**
     * personality(2): 0xffffffff only queries; any other value is stored (Linux takes every value);
     * returns the previous personality. ADDR_NO_RANDOMIZE and the others are recorded.
     */
    static long personality(Task t, SyscallArgs a) {
        long old = t.settings.personality & 0xffffffffL;
        long p = a.a0 & 0xffffffffL;
        if (p != GET_PERSONALITY) {
            t.settings.personality = (int) p;
        }
        return old;
    }
}
