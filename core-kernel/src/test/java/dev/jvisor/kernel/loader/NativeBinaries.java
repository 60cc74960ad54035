package dev.jvisor.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds test programs with the host's gcc (once per JVM) and runs them natively. */
final class NativeBinaries {
    /**
     * A program with data and a multi-page bss. With "dump" as argv[1] it writes its initial stack
     * (from the rsp it started with up to the stack top) and its /proc/self/maps to stdout.
     */
    static final String DUMPER = """
            #include <stdio.h>
            #include <string.h>
            #include <sys/auxv.h>
            static char big_bss[300000];
            int data_var = 42;
            int main(int argc, char **argv) {
                if (argc > 1 && strcmp(argv[1], "dump") == 0) {
                    unsigned long sp = (unsigned long)(argv - 1);   /* argc sits just below argv */
                    const char *execfn = (const char *)getauxval(AT_EXECFN);
                    unsigned long top = (unsigned long)execfn + strlen(execfn) + 1 + 8;
                    printf("STACK %lx %lx\\n", sp, top);
                    fwrite((void *)sp, 1, top - sp, stdout);
                    printf("\\nMAPS\\n");
                    FILE *f = fopen("/proc/self/maps", "r");
                    char buf[4096];
                    size_t n;
                    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
                    fclose(f);
                    return 0;
                }
                big_bss[argc] = 1;
                return big_bss[0] + data_var - 42;
            }
            """;

    /** execve(argv[1]) and print the errno if it fails. */
    static final String EXEC_PROBE = """
            #include <errno.h>
            #include <stdio.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                char *args[] = {argv[1], 0};
                char *env[] = {0};
                execve(argv[1], args, env);
                printf("errno %d\\n", errno);
                return 0;
            }
            """;

    private static Path dir;
    private static final Map<String, Path> BUILT = new HashMap<>();

    private NativeBinaries() {}

    static synchronized Path tempDir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jvisor-loader-test").toRealPath();
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    /** The dumper linked statically: ET_EXEC at fixed addresses. */
    static Path staticExe() throws Exception {
        return build("dumper-static", DUMPER, "-static");
    }

    /** The dumper as static-pie: ET_DYN without PT_INTERP. */
    static Path staticPie() throws Exception {
        return build("dumper-static-pie", DUMPER, "-static-pie", "-fPIE");
    }

    /** The dumper as an ordinary dynamically linked PIE (ET_DYN with PT_INTERP). */
    static Path dynamicPie() throws Exception {
        return build("dumper-dynamic", DUMPER, "-pie", "-fPIE");
    }

    static Path execProbe() throws Exception {
        return build("exec-probe", EXEC_PROBE);
    }

    /** Compiles {@code source} with gcc; skips the test if that is not possible on this host. */
    static synchronized Path build(String name, String source, String... flags) throws Exception {
        Path out = BUILT.get(name);
        if (out != null) {
            return out;
        }
        Path src = tempDir().resolve(name + ".c");
        Files.writeString(src, source);
        out = tempDir().resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O1", "-o", out.toString(), src.toString()));
        cmd.addAll(List.of(flags));
        Result r;
        try {
            r = run(cmd, null);
        } catch (IOException e) {
            r = new Result(-1, new byte[0]);
        }
        assertTrue(r.exit() == 0, "cannot build " + name + " with gcc " + String.join(" ", flags) + ": "
                + new String(r.stdout(), StandardCharsets.UTF_8));
        src.toFile().deleteOnExit();
        out.toFile().deleteOnExit();
        BUILT.put(name, out);
        return out;
    }

    record Result(int exit, byte[] stdout) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code cmd} with exactly {@code env} (null: inherit), stderr merged into stdout. */
    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toByteArray();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }
}
