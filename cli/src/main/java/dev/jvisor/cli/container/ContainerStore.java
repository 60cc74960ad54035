package dev.jvisor.cli.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jvisor.cli.oci.BundleException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state directory (--root): one subdirectory per container holding state.json and the sandbox's
 * control socket. Creating the subdirectory is what reserves an ID, so two `create`s of one ID race
 * safely; state.json is replaced atomically so readers never see half a file.
 */
public final class ContainerStore {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STATE = "state.json";
    private static final String SOCKET = "control.sock";
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path root;

    public ContainerStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(ContainerId.check(id));
    }

    public Path socket(String id) {
        return dir(id).resolve(SOCKET);
    }

    /** Claims {@code id}: creates its directory (and the root, private to its owner, if needed). */
    public void reserve(String id) {
        Path dir = dir(id);
        int len = socket(id).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (len > MAX_SOCKET_PATH) {
            throw new BundleException("state directory " + root + " is too deep for a unix socket path ("
                    + len + " bytes, at most " + MAX_SOCKET_PATH + "); use a shorter --root");
        }
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            }
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BundleException("container " + id + " already exists");
        } catch (IOException e) {
            throw new BundleException("cannot create state directory " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The recorded state of {@code id}; empty while it is being created (directory, no state.json yet).
     * Throws if there is no such container.
     */
    public Optional<ContainerState> read(String id) {
        Path dir = dir(id);
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(dir.resolve(STATE)), ContainerState.class));
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(dir)) {
                throw new BundleException("container " + id + " does not exist");
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new BundleException("container " + id + ": cannot read " + dir.resolve(STATE) + ": " + e.getMessage());
        }
    }

    /** The state of a container that must be fully created, as seen now ({@link ContainerState#live}). */
    public ContainerState require(String id) {
        ContainerState recorded = read(id).orElseThrow(() -> new BundleException("container " + id + " is still being created"));
        ContainerState now = recorded.live();
        if (now.status() == Status.STOPPED && recorded.status() != Status.STOPPED) {
            // Its process is gone: it may have recorded its exit between our read and that look, so
            // read again before concluding that it died without a word.
            now = read(id).map(ContainerState::live).orElse(now);
        }
        return now;
    }

    /** Replaces state.json atomically: written aside, then renamed over the old one. */
    public void write(ContainerState s) {
        Path dir = dir(s.id());
        Path tmp = dir.resolve(STATE + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
            try {
                Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new BundleException("cannot write the state of container " + s.id() + ": " + e.getMessage());
        }
    }

    /** Every container ID under the root, sorted. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new BundleException("cannot list " + root + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /** Removes the container's directory and everything in it. */
    public void remove(String id) {
        Path dir = dir(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new BundleException("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** The state directory for this user when --root is not given, as runsc chooses it. */
    public static Path defaultRoot() {
        if (uid() == 0) {
            return Path.of("/run/jvisor");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "jvisor");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "jvisor-" + uid());
    }

    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
