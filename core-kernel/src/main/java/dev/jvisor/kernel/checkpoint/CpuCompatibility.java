package dev.jvisor.kernel.checkpoint;

import java.util.Map;

/**
 * Decides whether app code that was shown one CPU's features can resume on this host: every feature
 * bit it saw must be present here, and the XSAVE area (the FP state in its signal frames) must have
 * the same size.
 */
final class CpuCompatibility {
    private CpuCompatibility() {}

    private static final String[] FEATURE_WORDS = {"1.ecx", "1.edx", "7.ebx", "7.ecx", "7.edx", "80000001.ecx",
            "80000001.edx"};

    /** Returns null if compatible, else a one-line description of what is missing. */
    static String check(Map<String, String> shown, Map<String, String> host) {
        for (String word : FEATURE_WORDS) {
            long want = parse(shown.get(word));
            long have = parse(host.get(word));
            long missing = want & ~have;
            if (missing != 0) {
                return String.format("was taken on a CPU with features this host lacks (CPUID %s bits %s)", word,
                        bits(missing));
            }
        }
        String xsave = shown.get("d.ebx");
        if (xsave != null && !xsave.equals(host.get("d.ebx"))) {
            return "was taken on a CPU with an XSAVE area of " + parse(xsave) + " bytes; this host's is "
                    + parse(host.get("d.ebx"));
        }
        return null;
    }

    private static long parse(String hex) {
        return hex == null ? 0 : Long.parseLong(hex, 16);
    }

    private static String bits(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < 32; b++) {
            if ((mask & (1L << b)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(b);
            }
        }
        return sb.toString();
    }
}
