package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bind mounts served by the gofer (`jvisor do -v HOST:DEST[:ro]`): the same programs give the same
 * output on a bind-mounted host directory as natively on a host directory; the host sees the
 * sandbox's writes and the sandbox the host's; a read-only mount refuses every change; nothing next
 * to the bound directory is reachable; programs run from a bind mount; shared mappings of a bound file
 * (sqlite in WAL mode) behave as natively; and an open or mapped file survives a checkpoint, whose
 * restore is refused when the host file changed meanwhile.
 */
class BindMountTest {
    /**
     * Lines of files.c that differ by design on a bind mount: a symlink's times are set with
     * microseconds (the gofer's JDK uses lutimes).
     */
    private static final List<String> KNOWN_DIFFERENCES = List.of("lstat(sl) mtime");

    private static String withoutKnownDifferences(String out) {
        return out.lines().filter(l -> KNOWN_DIFFERENCES.stream().noneMatch(l::startsWith))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static Run.Spec doWith(String platform, List<String> volumes, Path program, String... args) {
        List<String> c = new ArrayList<>(List.of("do", "--platform", platform));
        for (String v : volumes) {
            c.addAll(List.of("-v", v));
        }
        c.add("--");
        c.add(program.toString());
        c.addAll(List.of(args));
        return Jvisor.cmd(c);
    }

    private static void write(Path p, String s) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A destination no host path has, so the sandbox must make the mount point in its overlay. */
    private static String destination(String what) {
        return "/jvisor-bind-" + what + "-" + ProcessHandle.current().pid();
    }

    // ---- the same as natively -------------------------------------------------------------------------

    /** files.c (every file syscall and its errors) in a bind-mounted directory against a host directory. */
    @Test
    void filesSampleOnABindMountAsNatively() {
        Path nativeDir = Jvisor.scratch("bind-files-native").resolve("x");
        Path bound = Jvisor.scratch("bind-files");
        String dest = destination("files");
        Run nat = Native.sample("files", nativeDir.toString()).run();
        Run box = doWith(Platforms.first(), List.of(bound + ":" + dest), Jvisor.sample("files"), dest + "/x").run();
        Expect.clean(box);
        assertEquals(nat.exitCode, box.exitCode, box::describe);
        String want = withoutKnownDifferences(nat.stdout());
        String got = withoutKnownDifferences(box.stdout());
        assertEquals(want, got, () -> Expect.diff(want, got) + "\n" + box.describe());
        assertTrue(box.stdout().endsWith("done\n"), box::describe);
        assertTrue(Files.isDirectory(bound.resolve("x")), "the sandbox's writes reached the host");
    }

    /**
     * A bound file mapped MAP_SHARED (bindmap map): a fork child's mapping, read(2) and pwrite(2) see one
     * file, msync and munmap put the bytes on the host, a shrink gives SIGBUS past the end; the output
     * and the host file are what a native run gives.
     */
    @Test
    void sharedMappingsOfABoundFileAsNatively() throws IOException {
        Path nativeDir = Jvisor.scratch("bindmap-native");
        Path bound = Jvisor.scratch("bindmap");
        String dest = destination("bindmap");
        Run r = Expect.compare(doWith(Platforms.first(), List.of(bound + ":" + dest), Jvisor.sample("bindmap"), "map", dest),
                Native.sample("bindmap", "map", nativeDir.toString()));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("child sees: stored through the mapping / second page"), r::describe);
        assertArrayEquals(Files.readAllBytes(nativeDir.resolve("f")), Files.readAllBytes(bound.resolve("f")),
                "the host file holds what the sandbox stored through its mappings");
    }

    /**
     * sqlite in WAL mode (its index file is a MAP_SHARED mapping) on a bind mount, through python3's
     * sqlite3: the same output as natively, and the host can read the database afterwards.
     */
    @Test
    void sqliteInWalModeOnABindMount() throws Exception {
        String script = String.join("\n",
                "import os, sqlite3, sys",
                "db = os.path.join(sys.argv[1], 't.db')",
                "c = sqlite3.connect(db)",
                "print(c.execute('pragma journal_mode=wal').fetchone())",
                "c.execute('create table t(x, y)')",
                "c.executemany('insert into t values(?, ?)', [(i, 'row %d' % i) for i in range(500)])",
                "c.commit()",
                "other = sqlite3.connect(db)",
                "other.execute(\"insert into t values(1000, 'other connection')\")",
                "other.commit()",
                "print(c.execute('select count(*), sum(x), max(y) from t').fetchone())",
                "other.close()",
                "c.close()",
                "print(sorted(os.listdir(sys.argv[1])))");
        Path python = Path.of("/usr/bin/python3");
        Path nativeDir = Jvisor.scratch("bind-sqlite-native");
        Path bound = Jvisor.scratch("bind-sqlite");
        String dest = destination("sqlite");
        Run r = Expect.compare(doWith(Platforms.first(), List.of(bound + ":" + dest), python, "-c", script, dest),
                Native.run(python, "-c", script, nativeDir.toString()));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().startsWith("('wal',)\n(501, 125750, 'row 99')\n"), r::describe);
        String check = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from t').fetchone())";
        Run host = Native.run(python, "-c", check, bound.resolve("t.db").toString()).run();
        assertEquals("(501,)\n", host.stdout(), host::describe);
    }

    /** Files and sizes each side writes are seen by the other, SEEK_END included, natively and in the sandbox. */
    @Test
    void hostAndSandboxSeeEachOthersWrites() throws Exception {
        Path nativeDir = Jvisor.scratch("bind-host-native");
        Path bound = Jvisor.scratch("bind-host");
        String dest = destination("host");
        Run nat = withHostPeer(nativeDir, Native.sample("bindmount", "host", nativeDir.toString()));
        Run box = withHostPeer(bound, doWith(Platforms.first(), List.of(bound + ":" + dest), Jvisor.sample("bindmount"),
                "host", dest));
        Expect.clean(box);
        assertEquals(0, nat.exitCode, nat::describe);
        assertEquals(nat.stdout(), box.stdout(), () -> Expect.diff(nat.stdout(), box.stdout()) + "\n" + box.describe());
        assertTrue(box.stdout().contains("lseek(grow, 0, SEEK_END) after host append 15"), box::describe);
        assertEquals("written in the sandbox\n", read(bound.resolve("from-sandbox")));
        assertEquals("written on the host\nappended by the sandbox\n", read(bound.resolve("from-host")));
    }

    /** Plays the host's part of `bindmount host`: once the program is ready, grow a file and write another. */
    private static Run withHostPeer(Path dir, Run.Spec program) throws Exception {
        write(dir.resolve("grow"), "12345");
        Thread peer = new Thread(() -> {
            try {
                for (int i = 0; i < 6000 && !Files.exists(dir.resolve("ready")); i++) {
                    Thread.sleep(10);
                }
                Files.writeString(dir.resolve("grow"), "67890abcde", StandardOpenOption.APPEND);
                Files.writeString(dir.resolve("from-host"), "written on the host\n");
                Files.createFile(dir.resolve("grown"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        peer.start();
        Run r = program.run();
        peer.join(10_000);
        return r;
    }

    // ---- read-only, escapes ---------------------------------------------------------------------------

    /** Every change to a `:ro` bind mount is EROFS; reading works; the host directory is unchanged. */
    @Test
    void readOnlyBindMountRefusesEveryChange() {
        Path bound = Jvisor.scratch("bind-ro");
        write(bound.resolve("f"), "read me\n");
        write(bound.resolve("sub/keep"), "");
        String dest = destination("ro");
        Run r = doWith(Platforms.first(), List.of(bound + ":" + dest + ":ro"), Jvisor.sample("bindmount"), "ro", dest).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        List<String> lines = r.stdout().lines().toList();
        assertEquals("read(f)                                  \"read me", lines.get(0), r::describe);
        for (String l : lines.subList(2, lines.size() - 2)) {
            assertTrue(l.endsWith(" -1 EROFS"), () -> l + "\n" + r.describe());
        }
        assertTrue(r.stdout().contains("access(f, R_OK)                          0\n"), r::describe);
        assertTrue(r.stdout().endsWith("names                                    f sub\n"), r::describe);
        assertEquals("read me\n", read(bound.resolve("f")));
        assertEquals(List.of("f", "sub"), list(bound));
    }

    private static List<String> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A host file next to the bound directory cannot be reached through ".." at the mount's root, nor
     * through symlinks planted in the directory (resolved in the sandbox, where nothing is there).
     */
    @Test
    void nothingNextToTheBoundDirectoryIsReachable() throws IOException {
        Path base = Jvisor.scratch("bind-escape");
        Path bound = Files.createDirectory(base.resolve("bound"));
        String secret = "jvisor-secret-" + ProcessHandle.current().pid();
        write(base.resolve(secret), "the host's secret\n");
        Files.createSymbolicLink(bound.resolve("esc"), Path.of("../" + secret));
        Files.createSymbolicLink(bound.resolve("deep"), Path.of("../../../../../../../../../../" + secret));
        String dest = destination("escape") + "/inner";
        Run r = doWith(Platforms.first(), List.of(bound + ":" + dest), Jvisor.sample("bindmount"), "escape", dest,
                secret).run();
        Expect.clean(r);
        assertEquals(0, r.exitCode, r::describe);
        assertFalse(r.stdout().contains("secret"), r::describe);
        assertEquals("""
                open(DIR/../NAME)                        -1 ENOENT
                open(DIR/esc) esc -> ../NAME             -1 ENOENT
                open(DIR/deep) deep -> ../../../../NAME  -1 ENOENT
                open(DIR/abs) abs -> host path of NAME   -1 ENOENT
                openat(DIR fd, ../NAME)                  -1 ENOENT
                fchdir(DIR fd)                           0
                chdir(..)                                0
                open(NAME) from DIR/..                   -1 ENOENT
                getcwd() is DIR's parent                 yes
                """, r.stdout(), r::describe);
    }

    // ---- programs ----------------------------------------------------------------------------------

    /** A static and a dynamically linked program run from a bind mount, and from a single bound file. */
    @Test
    void programsRunFromABindMount() throws IOException {
        String platform = Platforms.first();
        Path bin = Jvisor.scratch("bind-bin");
        Files.copy(Jvisor.sample("hello"), bin.resolve("hello"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("/bin/echo"), bin.resolve("echo"), StandardCopyOption.COPY_ATTRIBUTES);
        String dest = destination("bin");
        Run hello = doWith(platform, List.of(bin + ":" + dest + ":ro"), Path.of(dest, "hello")).run();
        Expect.clean(hello);
        assertEquals(Native.sample("hello").run().stdout(), hello.stdout(), hello::describe);
        Run echo = doWith(platform, List.of(bin + ":" + dest, bin.resolve("echo") + ":" + dest + "-one/myecho"),
                Path.of("/bin/sh"), "-c", dest + "/echo dynamic; " + dest + "-one/myecho single file").run();
        Expect.clean(echo);
        assertEquals("dynamic\nsingle file\n", echo.stdout(), echo::describe);
    }

    // ---- checkpoint and restore ------------------------------------------------------------------------

    private static final String DATA = "alpha beta gamma\ndelta epsilon zeta\n";

    /**
     * A file open on a bind mount, half read, survives checkpoint and restore: the restored program
     * reads the rest and appends, and the host file has the line.
     */
    @ParameterizedTest(name = "[{0}] a file open on a bind mount across checkpoint and restore")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void openFileSurvivesCheckpointAndRestore(String platform) {
        Path nativeDir = Jvisor.scratch("bind-ckpt-native");
        write(nativeDir.resolve("data"), DATA);
        Run nat = Native.sample("bindmount", "ckpt", nativeDir.toString(), "20", "40").run();
        assertEquals(0, nat.exitCode, nat::describe);

        Path bound = Jvisor.scratch("bind-ckpt");
        write(bound.resolve("data"), DATA);
        Path img = checkpoint(platform, bound);
        Run after = Jvisor.cmd("restore", "--platform", platform, "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertTrue(after.stdout().startsWith("count "), after::describe);
        assertEquals(DATA + "appended after the count\n", read(bound.resolve("data")));
        String joined = before.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + after.describe());
        Jvisor.deleteTree(img.getParent());
    }

    private Run before;

    /** Runs `bindmount ckpt` on {@code bound} and checkpoints it mid-count; returns the image directory. */
    private Path checkpoint(String platform, Path bound) {
        Path img = Jvisor.scratch("bind-img").resolve("img");
        String dest = destination("ckpt");
        List<String> c = new ArrayList<>(List.of("do", "--platform", platform, "--checkpoint-after", "500ms",
                "--image-path", img.toString(), "-v", bound + ":" + dest, "--", Jvisor.sample("bindmount").toString(),
                "ckpt", dest, "20", "40"));
        before = Jvisor.cmd(c).run();
        Expect.clean(before);
        assertEquals(0, before.exitCode, before::describe);
        assertTrue(Files.isRegularFile(img.resolve("manifest.json")), before::describe);
        assertFalse(before.stdout().contains("second half"), () -> "the checkpoint came too late\n" + before.describe());
        return img;
    }

    /**
     * A bound file mapped shared across checkpoint and restore (bindmap ckpt): the restored program
     * finds its stores in the mapping and adds more, and the host file ends with both.
     */
    @Test
    void sharedMappingSurvivesCheckpointAndRestore() throws IOException {
        Path nativeDir = Jvisor.scratch("bindmap-ckpt-native");
        Run nat = Native.sample("bindmap", "ckpt", nativeDir.toString(), "20", "40").run();
        Path bound = Jvisor.scratch("bindmap-ckpt");
        Path img = Jvisor.scratch("bindmap-img").resolve("img");
        String dest = destination("bindmap-ckpt");
        Run first = Jvisor.cmd("do", "--platform", Platforms.first(), "--checkpoint-after", "500ms", "--image-path",
                img.toString(), "-v", bound + ":" + dest, "--", Jvisor.sample("bindmap").toString(), "ckpt", dest, "20", "40").run();
        Expect.clean(first);
        assertEquals(0, first.exitCode, first::describe);
        Run after = Jvisor.cmd("restore", "--platform", Platforms.first(), "--image-path", img.toString()).run();
        Expect.clean(after);
        assertEquals(0, after.exitCode, after::describe);
        assertTrue(after.stdout().startsWith("count "), () -> "the checkpoint came too late\n" + first.describe());
        String joined = first.stdout() + after.stdout();
        assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined) + "\n" + after.describe());
        assertArrayEquals(Files.readAllBytes(nativeDir.resolve("c")), Files.readAllBytes(bound.resolve("c")));
        Jvisor.deleteTree(img.getParent());
    }

    /** A restore is refused, with one line naming the file, after the host changed an open file; and when the bind source is gone. */
    @Test
    void restoreIsRefusedWhenTheHostChangedAnOpenFileOrTheSource() throws IOException {
        Path bound = Jvisor.scratch("bind-changed");
        write(bound.resolve("data"), DATA);
        Path img = checkpoint(Platforms.first(), bound);
        Files.writeString(bound.resolve("data"), "changed\n", StandardOpenOption.APPEND);
        Run changed = Jvisor.cmd("restore", "--image-path", img.toString()).run();
        Expect.clean(changed);
        assertEquals(125, changed.exitCode, changed::describe);
        assertEquals(1, changed.stderrLines().size(), changed::describe);
        assertTrue(changed.stderrLines().get(0).matches("jvisor: cannot restore: .*/data changed on the host since the checkpoint"),
                changed::describe);
        assertEquals("", changed.stdout(), "no app code ran");

        Path moved = bound.resolveSibling(bound.getFileName() + "-moved");
        Files.move(bound, moved);
        Run gone = Jvisor.cmd("restore", "--image-path", img.toString()).run();
        Expect.clean(gone);
        assertEquals(125, gone.exitCode, gone::describe);
        assertEquals(List.of("jvisor: cannot restore: the source of the bind mount on " + destination("ckpt") + ", " + bound
                + ", no longer exists"), gone.stderrLines(), gone::describe);
        Jvisor.deleteTree(img.getParent());
    }

    // ---- bad input ------------------------------------------------------------------------------------

    /** A volume with a missing or relative host path, a relative destination or an unknown option is one line, exit 2. */
    @Test
    void badVolumesGiveOneClearLine() {
        Path dir = Jvisor.scratch("bind-bad");
        String[][] cases = {
            {dir.resolve("missing") + ":/x", "host path " + dir.resolve("missing") + " does not exist"},
            {"relative/dir:/x", "host path 'relative/dir' is not absolute"},
            {dir + ":relative", "destination 'relative' is not an absolute path"},
            {dir + ":/x:rx", "unknown option 'rx'"},
            {dir.toString(), "expected HOST:DEST[:ro]"},
        };
        for (String[] c : cases) {
            Run r = Jvisor.cmd("do", "-v", c[0], "--", "/bin/true").run();
            Expect.clean(r);
            assertNotEquals(0, r.exitCode, r::describe);
            assertEquals(1, r.stderrLines().size(), r::describe);
            String line = r.stderrLines().get(0);
            assertTrue(line.startsWith("jvisor: bad volume") && line.contains(c[1]), r::describe);
        }
    }

    // ---- containers -----------------------------------------------------------------------------------

    /** A bundle running `bindmount ARGS...` with config.json's bind mounts {@code dest=source[:ro]}. */
    private static Bundle bindBundle(Path dir, List<String[]> binds, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("/bin/bindmount"));
        all.addAll(List.of(args));
        Bundle b = Bundle.create(dir, all.toArray(new String[0]));
        Files.copy(Jvisor.sample("bindmount"), b.rootfs().resolve("bin/bindmount"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String[] m : binds) {
            var node = ((com.fasterxml.jackson.databind.node.ArrayNode) b.config.path("mounts")).addObject();
            node.put("destination", m[0]).put("type", "bind").put("source", m[1]);
            node.putArray("options").add("rbind").add(m.length > 2 ? m[2] : "rw");
        }
        return b.write();
    }

    /**
     * config.json's bind mounts in a container: mount points missing from the (read-only) rootfs are
     * made; nothing next to the source is reachable, not even through an absolute symlink to its host
     * path (it resolves in the container's root); a read-only one refuses changes.
     */
    @Test
    void containerBindMounts() throws IOException {
        Path base = Jvisor.scratch("bind-container");
        Path bound = Files.createDirectory(base.resolve("bound"));
        Path ro = Files.createDirectory(base.resolve("ro"));
        write(ro.resolve("f"), "read me\n");
        Files.createDirectory(ro.resolve("sub"));
        write(base.resolve("secret"), "the host's secret\n");
        Files.createSymbolicLink(bound.resolve("esc"), Path.of("../secret"));
        Files.createSymbolicLink(bound.resolve("deep"), Path.of("../../../../../../../secret"));
        Files.createSymbolicLink(bound.resolve("abs"), base.resolve("secret"));
        ContainerCli cli = new ContainerCli(base.resolve("root"), Files.createDirectory(base.resolve("work")));
        try {
            Bundle esc = bindBundle(base.resolve("esc-bundle"), List.of(new String[] {"/data", bound.toString()},
                    new String[] {"/mnt/ro/deep", ro.toString(), "ro"}), "escape", "/data", "secret");
            ContainerCli.Result r = cli.run("run", "--bundle", esc.dir.toString(), "esc1");
            assertEquals(0, r.code(), r::toString);
            assertFalse(r.out().contains("secret"), r::toString);
            assertEquals(6, r.out().lines().filter(l -> l.endsWith("-1 ENOENT")).count(), r::toString);

            Bundle rob = bindBundle(base.resolve("ro-bundle"), List.<String[]>of(new String[] {"/mnt/ro/deep", ro.toString(), "ro"}),
                    "ro", "/mnt/ro/deep");
            ContainerCli.Result rr = cli.run("run", "--bundle", rob.dir.toString(), "ro1");
            assertEquals(0, rr.code(), rr::toString);
            assertEquals(14, rr.out().lines().filter(l -> l.endsWith("-1 EROFS")).count(), rr::toString);
            assertEquals(List.of("f", "sub"), list(ro));

            Bundle missing = bindBundle(base.resolve("missing-bundle"),
                    List.<String[]>of(new String[] {"/data", base.resolve("nope").toString()}), "ro", "/data");
            ContainerCli.Result m = cli.run("run", "--bundle", missing.dir.toString(), "m1");
            assertNotEquals(0, m.code(), m::toString);
            assertEquals(1, m.errLines().size(), m::toString);
            assertTrue(m.errLines().get(0).startsWith("jvisor: ") && m.errLines().get(0).contains("does not exist"),
                    m::toString);
        } finally {
            cli.killAll();
        }
    }

    /** A container with a file open on a bind mount, checkpointed and restored into a new container. */
    @Test
    void containerCheckpointAndRestoreWithABindMount() throws Exception {
        Path base = Jvisor.scratch("bind-container-ckpt");
        Path bound = Files.createDirectory(base.resolve("bound"));
        write(bound.resolve("data"), DATA);
        Path nativeDir = Files.createDirectory(base.resolve("native"));
        write(nativeDir.resolve("data"), DATA);
        Run nat = Native.sample("bindmount", "ckpt", nativeDir.toString(), "60", "0").run();
        ContainerCli cli = new ContainerCli(base.resolve("root"), Files.createDirectory(base.resolve("work")));
        try {
            Bundle b = bindBundle(base.resolve("bundle"), List.<String[]>of(new String[] {"/data", bound.toString()}),
                    "ckpt", "/data", "60", "50");
            Path first = base.resolve("first.out");
            assertEquals(0, cli.run(first, base.resolve("first.err"), "run", "-d", "--bundle", b.dir.toString(), "src").code());
            ContainerCli.awaitLines(first, 6, 60_000);
            Path image = base.resolve("image");
            ContainerCli.Result cp = cli.run("checkpoint", "--image-path", image.toString(), "src");
            assertEquals(0, cp.code(), cp::toString);
            assertEquals(0, cli.run("wait", "src").code());
            assertEquals(DATA, read(bound.resolve("data")), "nothing appended before the restore");
            Path second = base.resolve("second.out");
            ContainerCli.Result restore = cli.run(second, base.resolve("second.err"), "restore", "--image-path",
                    image.toString(), "--bundle", b.dir.toString(), "dst");
            assertEquals(0, restore.code(), restore::toString);
            String joined = Files.readString(first) + Files.readString(second);
            assertEquals(nat.stdout(), joined, () -> Expect.diff(nat.stdout(), joined));
            assertEquals(DATA + "appended after the count\n", read(bound.resolve("data")));
        } finally {
            cli.killAll();
        }
    }
}
