package dev.jvisor.cli.oci;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Maps config.json's {@code process.rlimits} to Linux resource numbers and values. */
public final class Rlimits {
    /** Linux's RLIMIT_* numbers (asm-generic/resource.h). */
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("RLIMIT_CPU", 0), Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2),
            Map.entry("RLIMIT_STACK", 3), Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5),
            Map.entry("RLIMIT_NPROC", 6), Map.entry("RLIMIT_NOFILE", 7), Map.entry("RLIMIT_MEMLOCK", 8),
            Map.entry("RLIMIT_AS", 9), Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11),
            Map.entry("RLIMIT_MSGQUEUE", 12), Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14),
            Map.entry("RLIMIT_RTTIME", 15));
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Rlimits() {}

    /** The resource number of {@code type} ("RLIMIT_NOFILE"). */
    public static int number(String type) {
        Integer n = NUMBERS.get(type);
        if (n == null) {
            throw new IllegalArgumentException("unknown rlimit " + type);
        }
        return n;
    }

    /** A spec value as the kernel stores it: anything beyond a signed long is RLIM_INFINITY (-1). */
    public static long value(BigInteger v) {
        return v == null || v.signum() < 0 || v.compareTo(MAX) > 0 ? -1L : v.longValue();
    }

    static void check(Path bundle, List<OciSpec.Rlimit> limits) {
        if (limits == null) {
            return;
        }
        for (OciSpec.Rlimit r : limits) {
            if (r == null || !NUMBERS.containsKey(r.type())) {
                throw SpecLoader.bad(bundle, "unknown rlimit " + (r == null ? "null" : "\"" + r.type() + "\""));
            }
            long soft = value(r.soft()), hard = value(r.hard());
            if (hard != -1 && (soft == -1 || soft > hard)) {
                throw SpecLoader.bad(bundle, r.type() + " soft limit is above its hard limit");
            }
        }
    }
}
