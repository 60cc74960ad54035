package dev.jvisor.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stub executable (built from src/main/c by the Maven build and packaged in this jar) and the
 * fixed addresses it occupies in every app address space (mirrors src/main/c/stub.h). The binary is
 * extracted once to a content-addressed cache path, so concurrent sandboxes share one copy and a
 * new build never runs an old stub.
 */
public final class StubBinary {
    public static final long STUB_BASE = 0x7ff000000000L;
    public static final long SYSMSG_BASE = 0x7ff010000000L;
    public static final long SLOT_SIZE = 0x10000L;
    public static final int MAX_THREADS = 1024;
    public static final long SYSMSG_SIZE = SLOT_SIZE * MAX_THREADS;
    public static final int MEMFILE_FD = 3;
    public static final int SYSMSG_FD = 4;
    /** SIGUSR1: how the Sentry interrupts a stub thread. */
    public static final int SIG_INTERRUPT = 10;

    private StubBinary() {}

    /** Extracts the stub if needed and returns its path. */
    public static Path path() {
        byte[] bytes;
        try (InputStream in = StubBinary.class.getResourceAsStream("stub/jvisor-stub")) {
            if (in == null) {
                throw new PlatformException("the stub binary is missing from the platform jar (was it built with gcc?)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new PlatformException("cannot read the stub binary: " + e.getMessage(), e);
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dir = cacheDir();
        Path target = dir.resolve("jvisor-stub-" + hash);
        if (Files.isExecutable(target)) {
            return target;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "stub", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new PlatformException("cannot extract the stub to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jvisor");
    }
}
