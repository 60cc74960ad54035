package dev.jvisor.kernel;

/**
 * The sandbox's CPUs and a thread's affinity mask over them: CPUs 0..n-1 for the n CPUs the host
 * gives the Sentry. Masks are bit arrays (bit N of word N/64 is CPU N), as Linux's cpumask.
 */
public final class CpuSet {
    private CpuSet() {}

    /** How many CPUs the sandbox offers (nr_cpu_ids). */
    public static int count() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The kernel's cpumask size in bytes (cpumask_size()): whole longs covering every CPU. */
    public static int maskBytes() {
        return (count() + 63) / 64 * 8;
    }

    /** A thread's mask, limited to the CPUs the sandbox has now (a restore may bring fewer). */
    public static long[] effective(Task t) {
        int n = count();
        long[] all = new long[(n + 63) / 64];
        for (int i = 0; i < n; i++) {
            all[i / 64] |= 1L << (i % 64);
        }
        long[] m = t.settings.cpuMask;
        if (m != null) {
            for (int i = 0; i < all.length; i++) {
                all[i] &= i < m.length ? m[i] : 0;
            }
        }
        return all;
    }

    public static boolean has(long[] mask, int cpu) {
        return cpu / 64 < mask.length && (mask[cpu / 64] & (1L << (cpu % 64))) != 0;
    }

    /** /proc/PID/status Cpus_allowed: hex in comma-separated 32-bit groups over nr_cpu_ids bits ("%*pb"). */
    public static String hex(Task t) {
        long[] m = effective(t);
        int n = count();
        int groups = (n + 31) / 32;
        StringBuilder sb = new StringBuilder();
        for (int g = groups - 1; g >= 0; g--) {
            long word = (m[g / 2] >>> (32 * (g % 2))) & 0xffffffffL;
            int bits = Math.min(32, n - 32 * g);
            String h = Long.toHexString(word);
            if (g != groups - 1) {
                h = "0".repeat(8 - h.length()) + h;
                sb.append(',');
            } else {
                int digits = (bits + 3) / 4;
                h = "0".repeat(Math.max(0, digits - h.length())) + h;
            }
            sb.append(h);
        }
        return sb.toString();
    }

    /** Cpus_allowed_list: ranges such as "0-1" or "0,2-3" ("%*pbl"). */
    public static String list(Task t) {
        long[] m = effective(t);
        int n = count();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (!has(m, i)) {
                continue;
            }
            int j = i;
            while (j + 1 < n && has(m, j + 1)) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (j > i) {
                sb.append('-').append(j);
            }
            i = j;
        }
        return sb.toString();
    }
}
