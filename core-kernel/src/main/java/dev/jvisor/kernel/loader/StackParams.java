package dev.jvisor.kernel.loader;

import java.security.SecureRandom;
import java.util.List;

/**
 * The values {@link InitialStack#build} puts in the auxiliary vector besides the image's own. Make
 * one with {@link #builder()}.
 *
 * @param hwcap AT_HWCAP (CPUID leaf 1 EDX on x86)
 * @param hwcap2 AT_HWCAP2
 * @param minSigStackSize AT_MINSIGSTKSZ: the signal frame size the kernel needs
 * @param uid AT_UID
 * @param euid AT_EUID
 * @param gid AT_GID
 * @param egid AT_EGID
 * @param secure AT_SECURE (setuid-like exec: libc then ignores LD_* variables)
 * @param random the 16 bytes AT_RANDOM points to
 * @param clockTicks AT_CLKTCK, 100
 * @param pageSize AT_PAGESZ, 4096
 * @param platform the AT_PLATFORM string, "x86_64"; null for none
 * @param vdsoBase AT_SYSINFO_EHDR, 0 when there is no vDSO (the entry is then omitted)
 * @param alignPad bytes skipped below the strings before aligning (Linux's arch_align_stack
 *     subtracts a random amount below 8192 when randomizing; 0 otherwise)
 * @param extraAuxv entries appended after AT_PLATFORM, before AT_NULL (e.g. AT_RSEQ_FEATURE_SIZE,
 *     AT_RSEQ_ALIGN once rseq is supported)
 */
public record StackParams(long hwcap, long hwcap2, long minSigStackSize, int uid, int euid, int gid, int egid,
                          boolean secure, byte[] random, long clockTicks, long pageSize, String platform,
                          long vdsoBase, long alignPad, List<Auxv.Entry> extraAuxv) {
    public StackParams {
        if (random.length != 16) {
            throw new IllegalArgumentException("AT_RANDOM needs 16 bytes, got " + random.length);
        }
        if (alignPad < 0) {
            throw new IllegalArgumentException("negative alignPad");
        }
        random = random.clone();
        extraAuxv = List.copyOf(extraAuxv);
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    /** A builder with Linux's defaults: clktck 100, page size 4096, platform "x86_64", fresh random bytes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link StackParams}. */
    public static final class Builder {
        private long hwcap;
        private long hwcap2;
        private long minSigStackSize = 2048; // glibc's MINSIGSTKSZ; the kernel should pass its real frame size
        private int uid;
        private int euid;
        private int gid;
        private int egid;
        private boolean secure;
        private byte[] random;
        private long clockTicks = 100;
        private long pageSize = 4096;
        private String platform = "x86_64";
        private long vdsoBase;
        private long alignPad;
        private List<Auxv.Entry> extraAuxv = List.of();

        private Builder() {}

        public Builder hwcap(long v) { hwcap = v; return this; }
        public Builder hwcap2(long v) { hwcap2 = v; return this; }
        public Builder minSigStackSize(long v) { minSigStackSize = v; return this; }
        /** Sets uid and euid. */
        public Builder uid(int real, int effective) { uid = real; euid = effective; return this; }
        /** Sets gid and egid. */
        public Builder gid(int real, int effective) { gid = real; egid = effective; return this; }
        public Builder secure(boolean v) { secure = v; return this; }
        public Builder random(byte[] v) { random = v.clone(); return this; }
        public Builder clockTicks(long v) { clockTicks = v; return this; }
        public Builder pageSize(long v) { pageSize = v; return this; }
        public Builder platform(String v) { platform = v; return this; }
        public Builder vdsoBase(long v) { vdsoBase = v; return this; }
        public Builder alignPad(long v) { alignPad = v; return this; }
        public Builder extraAuxv(List<Auxv.Entry> v) { extraAuxv = List.copyOf(v); return this; }

        public StackParams build() {
            byte[] r = random;
            if (r == null) {
                r = new byte[16];
                new SecureRandom().nextBytes(r);
            }
            return new StackParams(hwcap, hwcap2, minSigStackSize, uid, euid, gid, egid, secure, r, clockTicks,
                    pageSize, platform, vdsoBase, alignPad, extraAuxv);
        }
    }
}
