package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file system as programs see it: the files sample (every file syscall and its errors) and real
 * programs (ls, cat, sort, sha256sum, sqlite3, python3) give the same output in the sandbox as
 * natively; the root overlay keeps every write, create and delete inside the sandbox; paths and
 * symlinks cannot lead out of the sandbox's root.
 */
class FilesTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");


    private static void write(Path p, String s) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, byte[] b) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- the files sample --------------------------------------------------------------------------

    /** files.c under /tmp (the overlay over the host's /tmp) against a fresh host directory. */
    @ParameterizedTest(name = "[{0}] files in /tmp")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void filesInTmp(String platform) {
        Path nativeDir = Jvisor.scratch("files-native").resolve("x");
        Run r = Expect.compare(Jvisor.sample(platform, "files", "/tmp/files-x"), Native.sample("files", nativeDir.toString()));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().endsWith("done\n"), r::describe);
    }

    /** files.c at a host path (the root overlay): same output, and the host never sees the directory. */
    @ParameterizedTest(name = "[{0}] files on the root overlay")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void filesOnOverlay(String platform) {
        Path nativeDir = Jvisor.scratch("files-native").resolve("x");
        Path sandboxDir = Jvisor.scratch("files-overlay").resolve("x");
        Run r = Expect.compare(Jvisor.sample(platform, "files", sandboxDir.toString()), Native.sample("files", nativeDir.toString()));
        assertEquals(0, r.exitCode, r::describe);
        assertFalse(Files.exists(sandboxDir, LinkOption.NOFOLLOW_LINKS), "the sandbox's directory reached the host: " + sandboxDir);
    }

    /** splice(2) between a file and a pipe, both ways, and its EINVAL/ESPIPE cases, against Linux. */
    @ParameterizedTest(name = "[{0}] splice")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void splice(String platform) {
        Path nativeOut = Jvisor.scratch("splice-native").resolve("out");
        Path sandboxOut = Jvisor.scratch("splice-sandbox").resolve("out");
        Run r = Expect.compare(Jvisor.sample(platform, "splice", "/etc/passwd", sandboxOut.toString()),
                Native.sample("splice", "/etc/passwd", nativeOut.toString()));
        assertEquals(0, r.exitCode, r::describe);
    }

    // ---- real programs -----------------------------------------------------------------------------

    /**
     * ls -la of a stable directory. The "total" line is left out of the comparison: it sums st_blocks,
     * which the gofer estimates from the size (the JDK does not expose st_blocks), and ext4 directories
     * such as /usr/share/doc hold more blocks than their size (native "total 384", sandbox "total 380").
     */
    @ParameterizedTest(name = "[{0}] ls -la")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void lsLa(String platform) {
        String dir = "/usr/share/doc/bash";
        Run n = Native.run(Path.of("/bin/ls"), "-la", dir).run();
        Run r = Jvisor.run(platform, Path.of("/bin/ls"), "-la", dir).run();
        Expect.clean(r);
        assertEquals(0, n.exitCode, n::describe);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().startsWith("total "), r::describe);
        assertEquals(withoutTotal(n.stdout()), withoutTotal(r.stdout()), () -> Expect.diff(n.stdout(), r.stdout()));
        // Without -a and on plain files st_blocks is not shown: byte-for-byte equal.
        Expect.compare(Jvisor.run(platform, Path.of("/bin/ls"), "-l", "--time-style=full-iso", "/usr/share/doc/bash/"),
                Native.run(Path.of("/bin/ls"), "-l", "--time-style=full-iso", "/usr/share/doc/bash/"));
        Expect.compare(Jvisor.run(platform, Path.of("/bin/ls"), "-1RF", "/usr/share/doc/coreutils", "/etc/ssl"),
                Native.run(Path.of("/bin/ls"), "-1RF", "/usr/share/doc/coreutils", "/etc/ssl"));
    }

    private static String withoutTotal(String ls) {
        return Stream.of(ls.split("\n", -1)).filter(l -> !l.startsWith("total ")).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "[{0}] cat")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void cat(String platform) {
        Path dir = Jvisor.scratch("cat");
        write(dir.resolve("text.txt"), "first line\nsecond line\n\tünïcödé ✓\nno newline at the end");
        byte[] bin = randomBytes(300_000, 7);
        write(dir.resolve("random.bin"), bin);
        write(dir.resolve("empty"), "");
        Path cat = Path.of("/bin/cat");
        Expect.compare(Jvisor.run(platform, cat, dir.resolve("text.txt").toString()), Native.run(cat, dir.resolve("text.txt").toString()));
        Run r = Expect.compare(Jvisor.run(platform, cat, dir.resolve("random.bin").toString()), Native.run(cat, dir.resolve("random.bin").toString()));
        assertArrayEquals(bin, r.stdoutBytes);
        String[] several = {dir.resolve("text.txt").toString(), dir.resolve("empty").toString(), "/etc/passwd",
            dir.resolve("missing").toString(), dir.resolve("text.txt").toString()};
        Run s = Expect.compare(Jvisor.run(platform, cat, several), Native.run(cat, several));
        assertEquals(1, s.exitCode, s::describe);
        assertTrue(s.stderr().contains("No such file or directory"), s::describe);
        Expect.compare(Jvisor.run(platform, cat, "-").stdin("from stdin\n"), Native.run(cat, "-").stdin("from stdin\n"));
    }

    @ParameterizedTest(name = "[{0}] sort")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sort(String platform) {
        Path dir = Jvisor.scratch("sort");
        Random rnd = new Random(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(rnd.nextInt(1_000_000)).append(' ').append(Long.toString(rnd.nextLong(), 36)).append('\n');
        }
        write(dir.resolve("numbers.txt"), sb.toString());
        Path sort = Path.of("/usr/bin/sort");
        String f = dir.resolve("numbers.txt").toString();
        Expect.compare(Jvisor.run(platform, sort, f), Native.run(sort, f));
        Expect.compare(Jvisor.run(platform, sort, "-n", "-r", "-k1,1", f), Native.run(sort, "-n", "-r", "-k1,1", f));
        String in = "pear\napple\nfig\napple\nbanana\n";
        Run r = Expect.compare(Jvisor.run(platform, sort, "-u").stdin(in), Native.run(sort, "-u").stdin(in));
        assertEquals("apple\nbanana\nfig\npear\n", r.stdout());
    }

    @ParameterizedTest(name = "[{0}] sha256sum")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sha256sum(String platform) {
        Path dir = Jvisor.scratch("sha");
        write(dir.resolve("big.bin"), randomBytes(3 << 20, 11));
        write(dir.resolve("small.txt"), "abc");
        Path sha = Path.of("/usr/bin/sha256sum");
        String[] files = {dir.resolve("big.bin").toString(), dir.resolve("small.txt").toString(), "/bin/ls"};
        Run r = Expect.compare(Jvisor.run(platform, sha, files), Native.run(sha, files));
        assertTrue(r.stdout().contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  " + files[1]), r::describe);
        Expect.compare(Jvisor.run(platform, sha).stdin("stdin data"), Native.run(sha).stdin("stdin data"));
    }

    @ParameterizedTest(name = "[{0}] sqlite3")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sqlite3(String platform) {
        Path sqlite = Path.of("/usr/bin/sqlite3");
        String sql = "create table t(x); insert into t values(1),(2); select sum(x) from t;";
        Run r = Expect.compare(Jvisor.run(platform, sqlite, ":memory:", sql), Native.run(sqlite, ":memory:", sql));
        assertEquals("3\n", r.stdout());
        // A database file: created, written (journal, fsync, locks), read back by a second run.
        String db = "/tmp/jvisor-files-test.db";
        Path nativeDb = Jvisor.scratch("sqlite").resolve("t.db");
        String sql2 = "create table t(a integer primary key, b text); "
                + "insert into t(b) values('one'),('two'),('three'); update t set b = upper(b) where a > 1; "
                + "delete from t where a = 1; select a, b from t order by a; select count(*) from t;";
        Run r2 = Expect.compare(Jvisor.run(platform, sqlite, db, sql2), Native.run(sqlite, nativeDb.toString(), sql2));
        assertEquals("2|TWO\n3|THREE\n2\n", r2.stdout());
    }

    @ParameterizedTest(name = "[{0}] python3 -c")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pythonPrint(String platform) {
        Run r = Expect.compare(Jvisor.run(platform, PYTHON, "-c", "print(1+1)"), Native.run(PYTHON, "-c", "print(1+1)"));
        assertEquals("2\n", r.stdout());
    }

    private static final String SCRIPT = """
            import hashlib, os, sys
            here = os.path.dirname(os.path.abspath(__file__))
            out_dir = sys.argv[1]
            with open(os.path.join(here, 'input.txt'), encoding='utf-8') as f:
                text = f.read()
            words = text.split()
            print('read', text.count('\\n'), 'lines', len(words), 'words', len(text), 'chars')
            print('first words', sorted(set(words))[:5])
            print('script dir', sorted(os.listdir(here)))
            os.makedirs(os.path.join(out_dir, 'sub', 'deeper'))
            out = os.path.join(out_dir, 'out.txt')
            with open(out, 'w', encoding='utf-8') as f:
                for w in sorted(words):
                    f.write(w + '\\n')
            with open(os.path.join(out_dir, 'sub', 'x.bin'), 'wb') as f:
                f.write(bytes(range(256)) * 40)
            print('out size', os.path.getsize(out))
            with open(out, 'rb') as f:
                print('out sha256', hashlib.sha256(f.read()).hexdigest())
            print('listdir', sorted(os.listdir(out_dir)))
            for root, dirs, files in os.walk(out_dir):
                dirs.sort()
                print('walk', os.path.relpath(root, out_dir), dirs, sorted(files))
            st = os.stat(os.path.join(out_dir, 'sub', 'x.bin'))
            print('x.bin', st.st_size, oct(st.st_mode), st.st_nlink)
            with open(os.path.join(out_dir, 'sub', 'x.bin'), 'r+b') as f:
                f.seek(1000)
                f.write(b'HELLO')
                f.seek(995)
                print('patched', f.read(15))
            os.rename(out, os.path.join(out_dir, 'sub', 'deeper', 'moved.txt'))
            os.remove(os.path.join(out_dir, 'sub', 'x.bin'))
            print('after rename/remove', sorted(os.listdir(out_dir)), sorted(os.listdir(os.path.join(out_dir, 'sub'))),
                  os.listdir(os.path.join(out_dir, 'sub', 'deeper')))
            try:
                os.rmdir(os.path.join(out_dir, 'sub'))
            except OSError as e:
                print('rmdir sub:', e.strerror)
            """;

    /** python3 script.py: reads a host file next to the script, writes and lists files under /tmp. */
    @ParameterizedTest(name = "[{0}] python3 script.py")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pythonScript(String platform) {
        Path dir = Jvisor.scratch("pyscript");
        write(dir.resolve("script.py"), SCRIPT);
        StringBuilder text = new StringBuilder();
        Random rnd = new Random(5);
        String[] vocab = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "ünïcödé", "✓"};
        for (int i = 0; i < 2000; i++) {
            text.append(vocab[rnd.nextInt(vocab.length)]).append(i % 12 == 11 ? '\n' : ' ');
        }
        write(dir.resolve("input.txt"), text.toString());
        Path nativeOut = Jvisor.scratch("pyscript-out").resolve("out");
        String script = dir.resolve("script.py").toString();
        Run r = Expect.compare(Jvisor.run(platform, PYTHON, script, "/tmp/pyscript-out").env("PYTHONIOENCODING", "utf-8"),
                Native.run(PYTHON, script, nativeOut.toString()).env("PYTHONIOENCODING", "utf-8"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("rmdir sub: Directory not empty"), r::describe);
        assertEquals(List.of("input.txt", "script.py"), list(dir), "the script's directory changed on the host");
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the overlay -----------------------------------------------------------------------------------

    private static final String OVERLAY_SCRIPT = """
            import os, shutil, sys
            d = sys.argv[1]
            def show(tag):
                print(tag)
                for root, dirs, files in os.walk(d):
                    dirs.sort()
                    rel = os.path.relpath(root, d)
                    for x in dirs:
                        print('  %s/%s/ %o' % (rel, x, os.stat(os.path.join(root, x)).st_mode & 0o7777))
                    for f in sorted(files):
                        p = os.path.join(root, f)
                        if os.path.islink(p):
                            print('  %s/%s -> %s' % (rel, f, os.readlink(p)))
                        else:
                            st = os.stat(p)
                            with open(p, 'rb') as fh:
                                print('  %s/%s %o nlink=%d %r' % (rel, f, st.st_mode & 0o7777, st.st_nlink, fh.read()))
            show('before')
            with open(os.path.join(d, 'modify.txt'), 'a') as f:
                f.write('appended\\n')
            with open(os.path.join(d, 'overwrite.txt'), 'r+') as f:
                f.write('OVER')
            with open(os.path.join(d, 'truncate.txt'), 'w') as f:
                pass
            os.truncate(os.path.join(d, 'grow.txt'), 10)
            with open(os.path.join(d, 'new.txt'), 'w') as f:
                f.write('created in the sandbox\\n')
            os.remove(os.path.join(d, 'delete.txt'))
            shutil.rmtree(os.path.join(d, 'sub'))
            os.mkdir(os.path.join(d, 'newdir'))
            os.rename(os.path.join(d, 'new.txt'), os.path.join(d, 'newdir', 'moved.txt'))
            os.rename(os.path.join(d, 'renamed-from.txt'), os.path.join(d, 'renamed-to.txt'))
            os.chmod(os.path.join(d, 'keep.txt'), 0o600)
            os.utime(os.path.join(d, 'keep.txt'), (1000000000, 1234567890))
            print('keep.txt mtime', os.stat(os.path.join(d, 'keep.txt')).st_mtime)
            os.symlink('newdir/moved.txt', os.path.join(d, 'link2'))
            os.remove(os.path.join(d, 'link'))
            os.link(os.path.join(d, 'keep.txt'), os.path.join(d, 'hardlink.txt'))
            with open(os.path.join(d, 'delete.txt'), 'w') as f:
                f.write('recreated\\n')
            os.mkdir(os.path.join(d, 'sub'))
            print('sub after rmtree and mkdir', os.listdir(os.path.join(d, 'sub')))
            os.rmdir(os.path.join(d, 'emptydir'))
            print('emptydir exists', os.path.exists(os.path.join(d, 'emptydir')))
            show('after')
            """;

    /** The host tree of the overlay test: files, a subdirectory, a symlink, an empty directory. */
    private static void populate(Path d) {
        write(d.resolve("keep.txt"), "keep\n");
        write(d.resolve("modify.txt"), "original\n");
        write(d.resolve("overwrite.txt"), "original contents\n");
        write(d.resolve("truncate.txt"), "to be truncated\n");
        write(d.resolve("grow.txt"), "grow");
        write(d.resolve("delete.txt"), "delete me\n");
        write(d.resolve("renamed-from.txt"), "rename me\n");
        write(d.resolve("sub/inner.txt"), "inner\n");
        write(d.resolve("sub/deeper/deepest.txt"), "deepest\n");
        try {
            Files.createDirectories(d.resolve("emptydir"));
            Files.createSymbolicLink(d.resolve("link"), Path.of("keep.txt"));
            for (String f : List.of("keep.txt", "modify.txt", "overwrite.txt", "truncate.txt", "grow.txt", "delete.txt",
                    "renamed-from.txt", "sub/inner.txt", "sub/deeper/deepest.txt")) {
                Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
            }
            for (String f : List.of("sub", "sub/deeper", "emptydir")) {
                Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything about a host tree that a leaked write would change: names, types, modes, sizes, times, bytes. */
    private static String tree(Path root) {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                var a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ino,nlink", LinkOption.NOFOLLOW_LINKS);
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "-> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                } else {
                    what = "dir";
                }
                out.put(rel, a.get("mode") + " " + a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ino") + " "
                        + a.get("nlink") + " " + what);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes, creates, deletes, renames, chmod, utime, links and rmtree on a host directory: inside the
     * sandbox they all take effect (same output as a native run on a copy), and the host directory is
     * exactly as it was.
     */
    @ParameterizedTest(name = "[{0}] overlay keeps writes in the sandbox")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void overlayLeavesHostUntouched(String platform) {
        Path base = Jvisor.scratch("overlay");
        Path script = base.resolve("overlay.py");
        write(script, OVERLAY_SCRIPT);
        Path host = base.resolve("tree");
        Path copy = base.resolve("native-copy");
        populate(host);
        populate(copy);
        String before = tree(host);
        String scriptBefore = tree(base.resolve("overlay.py"));
        Run n = Native.run(PYTHON, script.toString(), copy.toString()).run();
        Run r = Jvisor.run(platform, PYTHON, script.toString(), host.toString()).run();
        Expect.sameAsNative(r, n);
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("keep.txt mtime 1234567890.0\n"), r::describe);
        assertTrue(r.stdout().contains("sub after rmtree and mkdir []\n"), r::describe);
        assertEquals(before, tree(host), "the sandbox changed the host directory");
        assertEquals(scriptBefore, tree(base.resolve("overlay.py")));
        assertEquals(List.of("native-copy", "overlay.py", "tree"), list(base));
    }

    /** Creating files in host system directories and deleting host files: seen in the sandbox only. */
    @ParameterizedTest(name = "[{0}] overlay: system directories")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void overlaySystemDirectories(String platform) {
        String name = "jvisor-files-test-" + ProcessHandle.current().pid() + "-" + platform;
        Path etcFile = Path.of("/etc", name);
        Path usrDir = Path.of("/usr/local", name);
        Path dir = Jvisor.scratch("overlay-sys");
        write(dir.resolve("victim.txt"), "still here\n");
        String victim = dir.resolve("victim.txt").toString();
        String code = String.join("\n",
                "import os, sys",
                "etc, usr, victim = sys.argv[1:4]",
                "with open(etc, 'w') as f: f.write('sandbox')",
                "os.makedirs(os.path.join(usr, 'a', 'b'))",
                "with open(os.path.join(usr, 'a', 'b', 'c.txt'), 'w') as f: f.write('deep')",
                "os.remove(victim)",
                "print(open(etc).read(), os.listdir(os.path.join(usr, 'a', 'b')), os.path.exists(victim))",
                "print(os.path.basename(etc) in os.listdir('/etc'))",
                "with open('/etc/hostname', 'a') as f: f.write('appended by the sandbox\\n')",
                "print(open('/etc/hostname').read().endswith('appended by the sandbox\\n'))",
                "");
        try {
            String hostname = Files.readString(Path.of("/etc/hostname"));
            Run r = Jvisor.run(platform, PYTHON, "-c", code, etcFile.toString(), usrDir.toString(), victim).run();
            Expect.clean(r);
            assertEquals(0, r.exitCode, r::describe);
            assertEquals("sandbox ['c.txt'] False\nTrue\nTrue\n", r.stdout(), r::describe);
            assertFalse(Files.exists(etcFile, LinkOption.NOFOLLOW_LINKS), "reached the host: " + etcFile);
            assertFalse(Files.exists(usrDir, LinkOption.NOFOLLOW_LINKS), "reached the host: " + usrDir);
            assertEquals("still here\n", Files.readString(dir.resolve("victim.txt")));
            assertEquals(hostname, Files.readString(Path.of("/etc/hostname")), "/etc/hostname changed on the host");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            etcFile.toFile().delete();
            Jvisor.deleteTree(usrDir);
        }
    }

    // ---- escapes -----------------------------------------------------------------------------------

    private static final String ESCAPE_SCRIPT = """
            import errno, os, sys
            d, marker = sys.argv[1], sys.argv[2]
            def ident(p):
                st = os.stat(p)
                return (st.st_dev, st.st_ino)
            root = ident('/')
            os.chdir('/tmp')
            up = '../' * 40
            print('dotdot from /tmp is /', ident(up) == root, ident('/tmp/' + up + 'tmp/..') == root)
            print('dotdot listing is /', sorted(os.listdir(up)) == sorted(os.listdir('/')))
            os.chdir(d)
            print('dotdot from the host dir is /', ident('../' * (d.count('/') + 20)) == root)
            print('/.. is /', ident('/..') == root, ident('/../..') == root)
            os.chdir(up)
            print('cwd after chdir up', os.getcwd())
            print('host /tmp file visible', os.path.exists('/tmp/' + marker), os.path.exists(up + 'tmp/' + marker))
            def read(name):
                try:
                    with open(os.path.join(d, name)) as f:
                        return f.read()
                except OSError as e:
                    return errno.errorcode[e.errno]
            for name in ['abs', 'rel', 'dir/inner']:
                print('before', name, read(name))
            with open('/tmp/' + marker, 'w') as f:
                f.write('SANDBOX')
            for name in ['abs', 'rel', 'dir/inner']:
                print('after', name, read(name))
            print('tmpdir link lists the sandbox /tmp', sorted(os.listdir(os.path.join(d, 'tmpdir'))) == sorted(os.listdir('/tmp')))
            print('rootlink is /', ident(os.path.join(d, 'rootlink')) == root, ident(os.path.join(d, 'rootlink', '..', '..')) == root)
            os.symlink('/..', '/tmp/up')
            os.symlink('../' * 30, '/tmp/up2')
            print('sandbox links lead to /', ident('/tmp/up') == root, ident('/tmp/up/..') == root, ident('/tmp/up2') == root,
                  ident('/tmp/up2/tmp/up2/..') == root)
            """;

    /**
     * ".." never climbs above the sandbox's root, and symlinks (planted on the host, or made in the
     * sandbox) are resolved inside the sandbox. `do`'s root is the host's / under the overlay, so a
     * link to a host /tmp file shows it, but what the sandbox writes there never reaches the host.
     */
    @ParameterizedTest(name = "[{0}] no escape through .. or symlinks")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void noEscape(String platform) throws IOException {
        Path hostFile = Files.createTempFile("jvisor-escape-", ".txt");
        try {
            Files.writeString(hostFile, "HOST SECRET");
            String marker = hostFile.getFileName().toString();
            Path d = Jvisor.scratch("escape");
            write(d.resolve("escape.py"), ESCAPE_SCRIPT);
            Files.createSymbolicLink(d.resolve("abs"), hostFile);
            Files.createSymbolicLink(d.resolve("rel"), Path.of("../".repeat(d.getNameCount() + 10) + "tmp/" + marker));
            Files.createSymbolicLink(d.resolve("tmpdir"), Path.of("/tmp"));
            Files.createSymbolicLink(d.resolve("rootlink"), Path.of("/"));
            Files.createDirectories(d.resolve("dir"));
            Files.createSymbolicLink(d.resolve("dir/inner"), Path.of("../abs"));
            // The links work on the host: they do lead to the host's file.
            assertEquals("HOST SECRET", Files.readString(d.resolve("rel")));
            Run r = Jvisor.run(platform, PYTHON, d.resolve("escape.py").toString(), d.toString(), marker).run();
            Expect.clean(r);
            assertEquals(0, r.exitCode, r::describe);
            assertEquals(String.join("\n",
                    "dotdot from /tmp is / True True",
                    "dotdot listing is / True",
                    "dotdot from the host dir is / True",
                    "/.. is / True True",
                    "cwd after chdir up /",
                    "host /tmp file visible True True",
                    "before abs HOST SECRET",
                    "before rel HOST SECRET",
                    "before dir/inner HOST SECRET",
                    "after abs SANDBOX",
                    "after rel SANDBOX",
                    "after dir/inner SANDBOX",
                    "tmpdir link lists the sandbox /tmp True",
                    "rootlink is / True True",
                    "sandbox links lead to / True True True True",
                    ""), r.stdout(), r::describe);
            assertEquals("HOST SECRET", Files.readString(hostFile), "the sandbox wrote the host's /tmp file");
        } finally {
            Files.deleteIfExists(hostFile);
        }
    }

    /** A C-level check of the same: host /tmp files are readable in the sandbox, as the rest of the host root. */
    @ParameterizedTest(name = "[{0}] host /tmp is visible read-only")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void hostTmpVisible(String platform) throws IOException {
        Path hostFile = Files.createTempFile("jvisor-hosttmp-", ".txt");
        try {
            Files.writeString(hostFile, "host only");
            Run r = Jvisor.run(platform, Path.of("/bin/cat"), hostFile.toString()).run();
            Expect.clean(r);
            assertEquals(0, r.exitCode, r::describe);
            assertEquals("host only", r.stdout(), r::describe);
        } finally {
            Files.deleteIfExists(hostFile);
        }
    }
}
