package dev.jvisor.kernel.loader;

/** Auxiliary vector keys (include/uapi/linux/auxvec.h and asm/auxvec.h for x86-64). */
public final class Auxv {
    public static final int AT_NULL = 0;
    public static final int AT_IGNORE = 1;
    public static final int AT_EXECFD = 2;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_NOTELF = 10;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    public static final int AT_SECURE = 23;
    public static final int AT_BASE_PLATFORM = 24;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_RSEQ_FEATURE_SIZE = 27;
    public static final int AT_RSEQ_ALIGN = 28;
    public static final int AT_EXECFN = 31;
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_MINSIGSTKSZ = 51;

    private Auxv() {}

    /** One auxv pair. */
    public record Entry(long type, long value) {
        @Override
        public String toString() {
            return name(type) + "=0x" + Long.toHexString(value);
        }
    }

    /** The AT_* name of {@code type}, or "AT_<number>" for unknown keys (as in LD_SHOW_AUXV output). */
    public static String name(long type) {
        switch ((int) type) {
            case AT_NULL: return "AT_NULL";
            case AT_IGNORE: return "AT_IGNORE";
            case AT_EXECFD: return "AT_EXECFD";
            case AT_PHDR: return "AT_PHDR";
            case AT_PHENT: return "AT_PHENT";
            case AT_PHNUM: return "AT_PHNUM";
            case AT_PAGESZ: return "AT_PAGESZ";
            case AT_BASE: return "AT_BASE";
            case AT_FLAGS: return "AT_FLAGS";
            case AT_ENTRY: return "AT_ENTRY";
            case AT_NOTELF: return "AT_NOTELF";
            case AT_UID: return "AT_UID";
            case AT_EUID: return "AT_EUID";
            case AT_GID: return "AT_GID";
            case AT_EGID: return "AT_EGID";
            case AT_PLATFORM: return "AT_PLATFORM";
            case AT_HWCAP: return "AT_HWCAP";
            case AT_CLKTCK: return "AT_CLKTCK";
            case AT_SECURE: return "AT_SECURE";
            case AT_BASE_PLATFORM: return "AT_BASE_PLATFORM";
            case AT_RANDOM: return "AT_RANDOM";
            case AT_HWCAP2: return "AT_HWCAP2";
            case AT_RSEQ_FEATURE_SIZE: return "AT_RSEQ_FEATURE_SIZE";
            case AT_RSEQ_ALIGN: return "AT_RSEQ_ALIGN";
            case AT_EXECFN: return "AT_EXECFN";
            case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
            case AT_MINSIGSTKSZ: return "AT_MINSIGSTKSZ";
            default: return "AT_" + type;
        }
    }
}
