package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.nio.charset.StandardCharsets;

/** System information syscalls: uname(2), getrandom(2). */
final class SysInfo {
    private SysInfo() {}

    private static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    private static final int UTS_FIELD = 65;

    /** uname(2): the sandbox's kernel identity. */
    static long uname(Task t, SyscallArgs a) {
        String[] fields = {"Linux", t.kernel.hostname(), t.kernel.release(), "#1 SMP jvisor", "x86_64", "(none)"};
        byte[] buf = new byte[UTS_FIELD * fields.length];
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, buf, i * UTS_FIELD, Math.min(f.length, UTS_FIELD - 1));
        }
        t.mm().copyOut(a.a0, buf, 0, buf.length);
        return 0;
    }

    /**
     * sysinfo(2): uptime from the sandbox's clock (whole seconds, rounded up as Linux does), memory
     * from its memory file, no swap, every thread counted in procs, mem_unit 1.
     */
    static long sysinfo(Task t, SyscallArgs a) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(112).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long total = t.kernel.memory().allocator().capacity();
        long used = t.kernel.memory().allocator().allocatedBytes();
        long now = t.kernel.clock().now();
        b.putLong(now / 1_000_000_000L + (now % 1_000_000_000L != 0 ? 1 : 0));
        b.putLong(0).putLong(0).putLong(0);
        b.putLong(total).putLong(total - used).putLong(0).putLong(0).putLong(0).putLong(0);
        b.putShort((short) t.kernel.tasks().size()).putShort((short) 0).putInt(0);
        b.putLong(0).putLong(0).putInt(1);
        t.mm().copyOut(a.a0, b.array(), 0, 112);
        return 0;
    }

    /** getrandom(2) */
    static long getrandom(Task t, SyscallArgs a) {
        int flags = (int) a.a2;
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
                || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) {
            throw new SyscallException(Errno.EINVAL);
        }
        long len = Math.min(a.a1 & 0xffffffffL, 0x1ffffff);
        byte[] chunk = new byte[(int) Math.min(len, 65536)];
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(chunk.length, len - done);
            t.kernel.runtime().random().nextBytes(chunk);
            t.mm().copyOut(a.a0 + done, chunk, 0, n);
            done += n;
        }
        return done;
    }
}
