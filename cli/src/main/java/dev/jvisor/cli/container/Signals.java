package dev.jvisor.cli.container;

import dev.jvisor.cli.oci.BundleException;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as `kill` accepts them: TERM, SIGTERM, 15 (x86-64 Linux numbering). */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31), Map.entry("RTMIN", 34), Map.entry("RTMAX", 64));

    private Signals() {}

    /** The number of a signal given as a name (with or without SIG, any case) or a number 1-64. */
    public static int parse(String s) {
        String name = s.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = NUMBERS.get(name);
        if (n == null) {
            try {
                n = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 1 || n > 64) {
            throw new BundleException("unknown signal \"" + s + "\"");
        }
        return n;
    }
}
