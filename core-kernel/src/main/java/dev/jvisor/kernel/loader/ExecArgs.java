package dev.jvisor.kernel.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The strings execve puts on the new stack, as bytes without their terminating NUL (the app passes
 * C strings, which need not be valid UTF-8).
 *
 * @param argv argument strings; an empty list becomes {@code [""]} as in Linux 5.18+
 * @param envp environment strings ("NAME=value")
 * @param execfn the path given to execve (AT_EXECFN)
 */
public record ExecArgs(List<byte[]> argv, List<byte[]> envp, byte[] execfn) {
    public ExecArgs {
        argv = List.copyOf(argv);
        envp = List.copyOf(envp);
        execfn = execfn.clone();
    }

    /** Builds the arguments from Java strings, encoded as UTF-8. */
    public static ExecArgs of(List<String> argv, List<String> envp, String execfn) {
        return new ExecArgs(utf8(argv), utf8(envp), execfn.getBytes(StandardCharsets.UTF_8));
    }

    private static List<byte[]> utf8(List<String> strings) {
        List<byte[]> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
