package dev.jvisor.kernel.syscalls;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** Formats one completed syscall the way `--strace` shows it: {@code [pid:tid] name(args) = result}. */
final class Strace {
    private Strace() {}

    private static final int MAX_SHOWN = 64;

    static String format(Task t, SyscallTable.Entry e, SyscallArgs a, long r) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(t.threadGroup().tgid).append(':').append(t.tid).append("] ");
        sb.append(e != null ? e.name() : SyscallNames.of(a.nr)).append('(');
        Arg[] kinds = e != null ? e.args() : new Arg[] {Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX, Arg.HEX};
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long v = a.get(i);
            switch (kinds[i]) {
                case INT -> sb.append(v);
                case FD -> sb.append((int) v);
                case OCT -> sb.append('0').append(Long.toOctalString(v));
                case HEX -> sb.append("0x").append(Long.toHexString(v));
                case STR -> sb.append(string(t, v));
                case BUF_IN -> sb.append(buffer(t, v, a.get(i + 1)));
                case BUF_OUT -> sb.append(r >= 0 ? buffer(t, v, r) : "0x" + Long.toHexString(v));
            }
        }
        sb.append(") = ");
        if (r < 0 && r >= -4095) {
            sb.append(-1).append(' ').append(Errno.name((int) -r));
        } else if (r > 0xffff || r < 0) {
            sb.append("0x").append(Long.toHexString(r));
        } else {
            sb.append(r);
        }
        return sb.toString();
    }

    private static String string(Task t, long addr) {
        try {
            return quote(t.mm().readCString(addr, 4096).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        } catch (SyscallException ex) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static String buffer(Task t, long addr, long len) {
        try {
            int n = (int) Math.min(Math.max(len, 0), MAX_SHOWN);
            return quote(t.mm().read(addr, n), len > MAX_SHOWN);
        } catch (SyscallException ex) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static String quote(byte[] b, boolean more) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
        if (more) {
            sb.append("...");
        }
        return sb.toString();
    }
}
