package dev.jvisor.kernel;

import java.util.Locale;

/**
 * Linux capability numbers and the sets built from them (include/uapi/linux/capability.h). A set is
 * a {@code long} with bit N for capability N, as the kernel's 64-bit kernel_cap_t.
 */
public final class Capabilities {
    private Capabilities() {}

    public static final int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3,
            CAP_FSETID = 4, CAP_KILL = 5, CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_LINUX_IMMUTABLE = 9,
            CAP_IPC_LOCK = 14, CAP_SYS_CHROOT = 18, CAP_SYS_ADMIN = 21, CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24, CAP_MKNOD = 27,
            CAP_MAC_OVERRIDE = 32, CAP_CHECKPOINT_RESTORE = 40;

    /** The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
    public static final int LAST_CAP = CAP_CHECKPOINT_RESTORE;
    /** Every capability: what root starts with. */
    public static final long ALL = (1L << (LAST_CAP + 1)) - 1;
    /**
     * The capabilities that follow the file-system uid (CAP_FS_SET): dropped from the effective set
     * when fsuid leaves 0, raised back from the permitted set when it returns.
     */
    public static final long FS_SET = bit(CAP_CHOWN) | bit(CAP_MKNOD) | bit(CAP_DAC_OVERRIDE) | bit(CAP_DAC_READ_SEARCH)
            | bit(CAP_FOWNER) | bit(CAP_FSETID) | bit(CAP_LINUX_IMMUTABLE) | bit(CAP_MAC_OVERRIDE);

    private static final String[] NAMES = {"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
        "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
        "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN",
        "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
        "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
        "PERFMON", "BPF", "CHECKPOINT_RESTORE"};

    public static long bit(int cap) {
        return 1L << cap;
    }

    /** Whether {@code cap} names a capability (cap_valid). */
    public static boolean valid(long cap) {
        return cap >= 0 && cap <= LAST_CAP;
    }

    /** The number of a name such as "CAP_SYS_ADMIN" (OCI config.json), or -1. */
    public static int byName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("CAP_")) {
            n = n.substring(4);
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }
}
