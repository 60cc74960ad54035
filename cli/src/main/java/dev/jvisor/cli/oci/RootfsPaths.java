package dev.jvisor.cli.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Finds the container's program inside its root file system, on the host, before the sandbox
 * starts: so that `create` can refuse a bundle whose program does not exist with a clear message
 * (as runc does) instead of failing later in `start`. Symlinks are followed as if the rootfs were
 * "/", never out of it.
 */
public final class RootfsPaths {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int MAX_LINKS = 40;

    private RootfsPaths() {}

    /**
     * The sandbox path of {@code name} (process.args[0]): itself if it contains a slash (relative to
     * {@code cwd} then), else the first executable file of that name along PATH from {@code env}.
     * Throws {@link BundleException} with exit code 127 (not found) or 126 (not executable).
     */
    public static String resolveProgram(Path rootfs, String name, List<String> env, String cwd) {
        String dir = cwd == null || cwd.isEmpty() ? "/" : cwd;
        if (name.contains("/")) {
            String abs = name.startsWith("/") ? name : dir + "/" + name;
            Path host = hostPath(rootfs, abs);
            checkExecutable(host, name);
            return name;
        }
        for (String d : searchPath(env).split(":")) {
            String candidate = (d.isEmpty() ? dir : d) + "/" + name;
            Path host = hostPath(rootfs, candidate);
            if (host != null && Files.isRegularFile(host) && Files.isExecutable(host)) {
                return candidate.startsWith("/") ? candidate : dir + "/" + candidate;
            }
        }
        throw new BundleException(name + ": executable file not found in $PATH in the container's root", 127);
    }

    private static void checkExecutable(Path host, String name) {
        if (host == null || !Files.exists(host)) {
            throw new BundleException(name + ": no such file or directory in the container's root", 127);
        }
        if (!Files.isRegularFile(host)) {
            throw new BundleException(name + ": not a regular file", 126);
        }
        if (!Files.isExecutable(host)) {
            throw new BundleException(name + ": permission denied", 126);
        }
    }

    private static String searchPath(List<String> env) {
        if (env != null) {
            for (String e : env) {
                if (e.startsWith("PATH=")) {
                    return e.substring(5);
                }
            }
        }
        return DEFAULT_PATH;
    }

    /**
     * The host path of absolute sandbox path {@code path} in {@code rootfs}, resolving symlinks
     * against the rootfs; null if a component is missing or the links loop.
     */
    static Path hostPath(Path rootfs, String path) {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path p = join(rootfs, done).resolve(part);
            if (Files.isSymbolicLink(p)) {
                if (++links > MAX_LINKS) {
                    return null;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return null;
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(pending, target);
                continue;
            }
            if (!pending.isEmpty() && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            done.addLast(part);
        }
        return join(rootfs, done);
    }

    /** Pushes the components of {@code path} so that the first one is popped first. */
    private static void push(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.push(parts[i]);
        }
    }

    private static Path join(Path rootfs, Deque<String> parts) {
        Path p = rootfs;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
