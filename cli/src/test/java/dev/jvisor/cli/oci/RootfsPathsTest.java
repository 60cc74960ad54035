package dev.jvisor.cli.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathsTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void layout() throws Exception {
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.createDirectories(rootfs.resolve("data"));
        Path tool = rootfs.resolve("usr/bin/tool");
        Files.writeString(tool, "x");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(rootfs.resolve("data/plain"), "x");
        // An absolute symlink means the rootfs's /usr/bin, never the host's.
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("/usr/bin"));
    }

    @Test
    void barenamesFollowPathInsideTheRootfs() {
        assertEquals("/bin/tool", RootfsPaths.resolveProgram(rootfs, "tool", List.of("PATH=/nowhere:/bin"), "/"));
        assertEquals("/usr/bin/tool", RootfsPaths.resolveProgram(rootfs, "tool", List.of(), "/"));
        assertEquals(127, assertThrows(BundleException.class,
                () -> RootfsPaths.resolveProgram(rootfs, "tool", List.of("PATH=/data"), "/")).exitCode());
    }

    @Test
    void pathsResolveThroughRootfsSymlinks() {
        assertEquals("/bin/tool", RootfsPaths.resolveProgram(rootfs, "/bin/tool", List.of(), "/"));
        assertEquals("../bin/tool", RootfsPaths.resolveProgram(rootfs, "../bin/tool", List.of(), "/data"));
        assertEquals(rootfs.resolve("usr/bin/tool"), RootfsPaths.hostPath(rootfs, "/bin/../../../bin/tool"));
        assertEquals(127, assertThrows(BundleException.class,
                () -> RootfsPaths.resolveProgram(rootfs, "/bin/none", List.of(), "/")).exitCode());
        assertEquals(126, assertThrows(BundleException.class,
                () -> RootfsPaths.resolveProgram(rootfs, "/data", List.of(), "/")).exitCode());
    }
}
