package dev.jvisor.cli.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    @TempDir
    Path bundle;

    private String error(String config) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), config);
        return assertThrows(BundleException.class, () -> Bundle.load(bundle)).getMessage();
    }

    @Test
    void templateLoadsAndUnknownFieldsAreIgnored() throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), SpecTemplate.json(List.of("/bin/sh", "-c", "true"), "/"));
        Bundle b = Bundle.load(bundle);
        assertEquals(List.of("/bin/sh", "-c", "true"), b.spec().process().args());
        assertTrue(b.spec().root().readonly());
        assertEquals(bundle.resolve("rootfs").toAbsolutePath(), b.rootfs());
        assertEquals("jvisor", b.hostname("id"));
        List<MountPlan.Entry> m = b.mountPlan().entries();
        assertEquals(MountPlan.Kind.PROC, m.get(0).kind());
        assertEquals(MountPlan.Kind.DEV, m.get(1).kind());
        assertEquals(MountPlan.Kind.TMPFS, m.get(2).kind());
        assertEquals(01777, m.get(2).mode());
        assertTrue(m.get(3).readOnly());
    }

    @Test
    void badConfigsSayWhatIsWrong() throws Exception {
        assertTrue(error("{").contains("config.json is not valid at line"));
        assertTrue(error("{\"root\": {\"path\": \"rootfs\"}}").contains("no \"process\""));
        assertTrue(error("{\"process\": {\"args\": []}, \"root\": {\"path\": \"rootfs\"}}").contains("process.args is empty"));
        assertTrue(error("{\"process\": {\"terminal\": true, \"args\": [\"x\"]}, \"root\": {\"path\": \"rootfs\"}}")
                .contains("terminal"));
        assertTrue(error("{\"process\": {\"args\": [\"x\"]}}").contains("no root.path"));
        assertTrue(error("{\"process\": {\"args\": [\"x\"]}, \"root\": {\"path\": \"nope\"}}").contains("is not a directory"));
        assertTrue(error("{\"process\": {\"args\": [\"x\"], \"rlimits\": [{\"type\": \"RLIMIT_BOGUS\"}]}, \"root\": {\"path\": \"rootfs\"}}")
                .contains("unknown rlimit"));
        assertTrue(error("{\"process\": {\"args\": [\"x\"]}, \"root\": {\"path\": \"rootfs\"}, \"mounts\": [{\"destination\": \"rel\"}]}")
                .contains("not an absolute path"));
    }

    @Test
    void unlimitedRlimitsBecomeInfinity() {
        assertEquals(-1L, Rlimits.value(new java.math.BigInteger("18446744073709551615")));
        assertEquals(1024L, Rlimits.value(java.math.BigInteger.valueOf(1024)));
        assertEquals(7, Rlimits.number("RLIMIT_NOFILE"));
    }
}
