package dev.jvisor.kernel.fs.proc;

import dev.jvisor.platform.cpu.HostCpuid;
import java.nio.charset.StandardCharsets;

/**
 * The identity of the CPU /proc/cpuinfo describes (vendor, family, model, stepping, brand, address
 * sizes), taken once from CPUID when the sandbox starts. It is part of the kernel graph, so a
 * restored sandbox keeps describing the CPU it was shown; the feature flags come from the kernel's
 * recorded feature words ({@code Kernel.cpuFeatures()}), the same ones checked on restore.
 */
public final class CpuIdentity {
    public final String vendor;
    public final int family;
    public final int model;
    public final int stepping;
    public final String brand;
    public final int cpuidLevel;
    public final int clflushSize;
    public final int physicalBits;
    public final int virtualBits;

    public CpuIdentity(String vendor, int family, int model, int stepping, String brand, int cpuidLevel,
            int clflushSize, int physicalBits, int virtualBits) {
        this.vendor = vendor;
        this.family = family;
        this.model = model;
        this.stepping = stepping;
        this.brand = brand;
        this.cpuidLevel = cpuidLevel;
        this.clflushSize = clflushSize;
        this.physicalBits = physicalBits;
        this.virtualBits = virtualBits;
    }

    /** Reads this host's CPU identity (at sandbox start: the Sentry opens no host files later). */
    public static CpuIdentity of(HostCpuid cpuid) {
        int[] l0 = cpuid.query(0, 0);
        int[] l1 = cpuid.query(1, 0);
        int eax = l1[0];
        int family = (eax >>> 8) & 0xf;
        int model = (eax >>> 4) & 0xf;
        if (family == 0xf) {
            family += (eax >>> 20) & 0xff;
        }
        if (family >= 6) {
            model += ((eax >>> 16) & 0xf) << 4;
        }
        int clflush = ((l1[1] >>> 8) & 0xff) * 8;
        int maxExt = cpuid.query(0x80000000, 0)[0];
        String brand = "";
        if (Integer.compareUnsigned(maxExt, 0x80000004) >= 0) {
            byte[] b = new byte[48];
            for (int i = 0; i < 3; i++) {
                int[] r = cpuid.query(0x80000002 + i, 0);
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < 4; k++) {
                        b[i * 16 + j * 4 + k] = (byte) (r[j] >>> (8 * k));
                    }
                }
            }
            int len = 0;
            while (len < b.length && b[len] != 0) {
                len++;
            }
            brand = new String(b, 0, len, StandardCharsets.US_ASCII).trim();
        }
        int phys = 36, virt = 48;
        if (Integer.compareUnsigned(maxExt, 0x80000008) >= 0) {
            int[] r = cpuid.query(0x80000008, 0);
            phys = r[0] & 0xff;
            virt = (r[0] >>> 8) & 0xff;
        }
        return new CpuIdentity(cpuid.vendor(), family, model, eax & 0xf, brand.isEmpty() ? "unknown" : brand, l0[0],
                clflush == 0 ? 64 : clflush, phys, virt);
    }

    /** A generic identity (tests, or hosts where CPUID cannot be read). */
    public static CpuIdentity generic(String vendor) {
        return new CpuIdentity(vendor, 6, 0, 0, "Virtual CPU", 13, 64, 40, 48);
    }
}
