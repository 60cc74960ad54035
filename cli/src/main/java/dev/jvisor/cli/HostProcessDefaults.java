package dev.jvisor.cli;

import dev.jvisor.kernel.Capabilities;
import dev.jvisor.kernel.Credentials;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.ProgramImage;
import dev.jvisor.kernel.Task;
import dev.jvisor.platform.host.Libc;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What `jvisor do` gives the sandbox's init from the host, so that a program sees in the sandbox the
 * limits and privileges it sees natively (as `runsc do` does): the caller's resource limits, and,
 * when the caller is root, its capability bounding, inheritable and ambient sets (the exec that
 * starts init then derives the permitted and effective sets from them, as Linux's would).
 */
final class HostProcessDefaults implements ProgramImage {
    private static final int SYS_PRLIMIT64 = 302;
    /**
     * The launcher passes the caller's RLIMIT_NOFILE soft limit: the JVM raises its own to the hard
     * limit at start-up, so the Sentry's is not the caller's.
     */
    static final String NOFILE_PROPERTY = "jvisor.host.nofile";

    private final ProgramImage program;

    HostProcessDefaults(ProgramImage program) {
        this.program = program;
    }

    @Override
    public void loadInto(Task t) {
        applyLimits(t.threadGroup().limits);
        applyCapabilities(t.threadGroup().creds);
        program.loadInto(t);
    }

    static void applyLimits(Limits l) {
        try (Memory buf = new Memory(16)) {
            for (int r = 0; r < Limits.NLIMITS; r++) {
                if (Libc.syscall(SYS_PRLIMIT64, 0, r, 0, Pointer.nativeValue(buf), 0, 0) == 0) {
                    l.set(r, buf.getLong(0), buf.getLong(8));
                }
            }
        }
        String nofile = System.getProperty(NOFILE_PROPERTY);
        if (nofile != null && !nofile.isBlank()) {
            long soft = nofile.trim().equals("unlimited") ? Limits.INFINITY : parse(nofile.trim());
            if (soft != Long.MIN_VALUE && Long.compareUnsigned(soft, l.hard[Limits.RLIMIT_NOFILE]) <= 0) {
                l.soft[Limits.RLIMIT_NOFILE] = soft;
            }
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Copies the host's capability sets when the host process is root (/proc/self/status). */
    static void applyCapabilities(Credentials c) {
        String status;
        try {
            status = Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            return;
        }
        String[] uids = field(status, "Uid:").split("\\s+");
        if (uids.length < 2 || !uids[1].equals("0")) {
            return;
        }
        c.capInheritable = hex(status, "CapInh:");
        c.capPermitted = hex(status, "CapPrm:");
        c.capEffective = hex(status, "CapEff:");
        c.capBounding = hex(status, "CapBnd:");
        c.capAmbient = hex(status, "CapAmb:");
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        return "";
    }

    private static long hex(String status, String name) {
        String v = field(status, name);
        return v.isEmpty() ? 0 : Long.parseUnsignedLong(v, 16) & Capabilities.ALL;
    }
}
