package dev.jvisor.kernel.fs.proc;

import java.util.Map;

/**
 * The names /proc/cpuinfo gives CPUID feature bits (Linux's arch/x86/include/asm/cpufeatures.h),
 * in the order Linux prints them: by capability word, then by bit.
 */
final class CpuFlags {
    private CpuFlags() {}

    /** Feature word (as in {@code Kernel.cpuFeatures()}) and the names of its bits; null = not shown. */
    private static final String[][] WORDS = {
        {"1.edx", "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", null, "sep", "mtrr", "pge",
            "mca", "cmov", "pat", "pse36", "pn", "clflush", null, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss",
            "ht", "tm", "ia64", "pbe"},
        {"80000001.edx", null, null, null, null, null, null, null, null, null, null, null, "syscall", null, null,
            null, null, null, null, null, "mp", "nx", null, "mmxext", null, null, "fxsr_opt", "pdpe1gb", "rdtscp",
            null, "lm", "3dnowext", "3dnow"},
        {"1.ecx", "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid",
            "sdbg", "fma", "cx16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe",
            "popcnt", "tsc_deadline_timer", "aes", "xsave", null, "avx", "f16c", "rdrand", "hypervisor"},
        {"80000001.ecx", "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
            "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", null, "lwp", "fma4", "tce", null, "nodeid_msr",
            null, "tbm", "topoext", "perfctr_core", "perfctr_nb", null, "bpext", "ptsc", "perfctr_llc", "mwaitx",
            null, null},
        {"7.ebx", "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", null, "smep", "bmi2", "erms", "invpcid",
            "rtm", "cqm", null, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", null,
            "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl"},
        {"7.ecx", null, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", null, "gfni", "vaes",
            "vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", null, "la57", null, null, null,
            null, null, "rdpid", null, "bus_lock_detect", "cldemote", null, "movdiri", "movdir64b", "enqcmd",
            "sgx_lc", null},
        {"7.edx", null, null, "avx512_4vnniw", "avx512_4fmaps", "fsrm", null, null, null, "avx512_vp2intersect",
            null, "md_clear", null, null, null, "serialize", null, "tsxldtrk", null, "pconfig", "arch_lbr", "ibt",
            null, "amx_bf16", "avx512_fp16", "amx_tile", "amx_int8", null, null, "flush_l1d", "arch_capabilities",
            null, null},
    };

    /** The flags line for the given feature words (hex strings keyed "1.ecx", "7.ebx"...). */
    static String flags(Map<String, String> words) {
        StringBuilder sb = new StringBuilder();
        for (String[] w : WORDS) {
            String hex = words.get(w[0]);
            if (hex == null) {
                continue;
            }
            long bits = Long.parseLong(hex, 16);
            for (int b = 0; b < 32; b++) {
                String name = w[b + 1];
                if (name != null && (bits & (1L << b)) != 0) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(name);
                }
            }
        }
        return sb.toString();
    }
}
