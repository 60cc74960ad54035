package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Assertions shared by the end-to-end tests; failures print both runs in full. */
final class Expect {
    private Expect() {
    }

    /** The run finished (no timeout) and printed no Java stack trace. */
    static void clean(Run r) {
        assertFalse(r.timedOut, () -> "jvisor did not finish:\n" + r.describe());
        assertFalse(r.hasJavaStackTrace(), () -> "a Java stack trace on stderr:\n" + r.describe());
    }

    /** Same stdout (byte for byte) and exit code as the native run. */
    /** Runs the program natively, then in the sandbox, and expects the same stdout and exit code. */
    static Run compare(Run.Spec sandbox, Run.Spec nat) {
        Run n = nat.run();
        Run r = sandbox.run();
        sameAsNative(r, n);
        return r;
    }

    static void sameAsNative(Run sandbox, Run nat) {
        assertFalse(nat.timedOut, () -> "the native run did not finish:\n" + nat.describe());
        clean(sandbox);
        if (!Arrays.equals(nat.stdoutBytes, sandbox.stdoutBytes)) {
            fail("stdout differs from the native run\n" + diff(nat.stdout(), sandbox.stdout()) + "\n=== sandbox ===\n"
                    + sandbox.describe() + "\n=== native ===\n" + nat.describe());
        }
        assertEquals(nat.exitCode, sandbox.exitCode, () -> "exit code differs from the native run\n=== sandbox ===\n"
                + sandbox.describe() + "\n=== native ===\n" + nat.describe());
    }

    /** The differing lines, native first ("-") then sandbox ("+"), as a compact unified-style list. */
    static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        StringBuilder sb = new StringBuilder("differing lines (- native, + sandbox):\n");
        int n = Math.max(a.length, b.length);
        int shown = 0;
        for (int i = 0; i < n && shown < 40; i++) {
            String x = i < a.length ? a[i] : null;
            String y = i < b.length ? b[i] : null;
            if (x == null || !x.equals(y)) {
                sb.append(String.format("line %d:%n", i + 1));
                if (x != null) {
                    sb.append("- ").append(x).append('\n');
                }
                if (y != null) {
                    sb.append("+ ").append(y).append('\n');
                }
                shown++;
            }
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
