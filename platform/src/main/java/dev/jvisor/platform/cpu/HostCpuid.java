package dev.jvisor.platform.cpu;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.jvisor.platform.host.Libc;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Executes the CPUID instruction on this host (Java cannot): a few bytes of machine code in an
 * executable page, called through JNA. Used to build the feature set shown to apps and recorded in
 * snapshots, and to answer CPUID for apps where the host traps it.
 */
public final class HostCpuid {
    // push rbx; mov eax,edi; mov ecx,esi; mov r8,rdx; cpuid; mov [r8],eax; mov [r8+4],ebx;
    // mov [r8+8],ecx; mov [r8+12],edx; pop rbx; ret
    private static final byte[] CODE = {0x53, (byte) 0x89, (byte) 0xf8, (byte) 0x89, (byte) 0xf1, 0x49, (byte) 0x89,
            (byte) 0xd0, 0x0f, (byte) 0xa2, 0x41, (byte) 0x89, 0x00, 0x41, (byte) 0x89, 0x58, 0x04, 0x41, (byte) 0x89,
            0x48, 0x08, 0x41, (byte) 0x89, 0x50, 0x0c, 0x5b, (byte) 0xc3};

    private final Function fn;

    public HostCpuid() {
        long page = Libc.check(Libc.mmap(0, 4096, Libc.PROT_READ | Libc.PROT_WRITE | Libc.PROT_EXEC,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0), "mmap cpuid page");
        new Pointer(page).write(0, CODE, 0, CODE.length);
        fn = Function.getFunction(new Pointer(page));
    }

    /** Returns {eax, ebx, ecx, edx} for a leaf and subleaf. */
    public int[] query(int leaf, int subleaf) {
        try (Memory out = new Memory(16)) {
            fn.invoke(Void.class, new Object[] {leaf, subleaf, out});
            return new int[] {out.getInt(0), out.getInt(4), out.getInt(8), out.getInt(12)};
        }
    }

    /** The vendor string, e.g. "AuthenticAMD". */
    public String vendor() {
        int[] r = query(0, 0);
        byte[] b = new byte[12];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (r[1] >>> (8 * i));
            b[4 + i] = (byte) (r[3] >>> (8 * i));
            b[8 + i] = (byte) (r[2] >>> (8 * i));
        }
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The feature words that decide whether app code can run here: leaf 1 ECX/EDX, leaf 7 EBX/ECX/EDX,
     * leaf 0xD (XSAVE features and size), extended leaf 0x80000001 ECX/EDX.
     */
    public Map<String, String> features() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vendor", vendor());
        int[] l1 = query(1, 0);
        m.put("1.ecx", hex(l1[2] & ~(1 << 27))); // OSXSAVE mirrors CR4, not the CPU
        m.put("1.edx", hex(l1[3]));
        int[] l7 = query(7, 0);
        m.put("7.ebx", hex(l7[1]));
        m.put("7.ecx", hex(l7[2]));
        m.put("7.edx", hex(l7[3]));
        int[] xd = query(0xd, 0);
        m.put("d.eax", hex(xd[0]));
        m.put("d.ebx", hex(xd[1]));
        int[] e1 = query(0x80000001, 0);
        m.put("80000001.ecx", hex(e1[2]));
        m.put("80000001.edx", hex(e1[3]));
        return m;
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
