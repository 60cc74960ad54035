package dev.jvisor.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A throwaway OCI bundle for the container tests: a rootfs whose /bin holds the static C samples
 * (plus the /dev, /tmp and /proc mount points), and a minimal config.json that can be edited before
 * {@link #write()}.
 */
final class Bundle {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SAMPLES = List.of("hello", "count", "exitcode", "args", "sleepcount", "familyckpt", "touchmem",
            "echo_stdin");

    final Path dir;
    final ObjectNode config;

    private Bundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    /** A bundle in {@code dir} (created) running {@code args}; call {@link #write()} to save config.json. */
    static Bundle create(Path dir, String... args) {
        try {
            Path bin = dir.resolve("rootfs/bin");
            Files.createDirectories(bin);
            for (String d : List.of("dev", "tmp", "proc")) {
                Files.createDirectories(dir.resolve("rootfs").resolve(d));
            }
            Path samples = home().resolve("samples/target/c");
            for (String s : SAMPLES) {
                Files.copy(samples.resolve(s), bin.resolve(s), StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("ociVersion", "1.0.2");
        ObjectNode p = c.putObject("process");
        p.put("terminal", false);
        p.putObject("user").put("uid", 0).put("gid", 0);
        ArrayNode a = p.putArray("args");
        for (String s : args) {
            a.add(s);
        }
        p.putArray("env").add("PATH=/usr/bin:/bin");
        p.put("cwd", "/");
        c.putObject("root").put("path", "rootfs").put("readonly", true);
        c.put("hostname", "bundle");
        ArrayNode mounts = c.putArray("mounts");
        mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
        mounts.addObject().put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
        return new Bundle(dir, c);
    }

    Bundle write() {
        try {
            Files.write(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path rootfs() {
        return dir.resolve("rootfs");
    }

    /** The repository root, where the jvisor launcher and the built samples are. */
    static Path home() {
        String h = System.getProperty("jvisor.home");
        return (h != null ? Path.of(h) : Path.of("..")).toAbsolutePath().normalize();
    }
}
