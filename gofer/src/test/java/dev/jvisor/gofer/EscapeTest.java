package dev.jvisor.gofer;

import static dev.jvisor.gofer.Fixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing outside an export can be reached: bad names, symlinks walked through, symlinks swapped in. */
class EscapeTest {
    @TempDir
    Path tmp;
    Fixture fx;
    GoferClient c;
    Map<String, String> outsideBefore;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        c = fx.client;
        outsideBefore = Fixture.snapshot(fx.outside);
    }

    @AfterEach
    void tearDown() throws Exception {
        assertEquals(outsideBefore, Fixture.snapshot(fx.outside), "nothing outside the exports changed");
        fx.close();
    }

    @Test
    void namesThatAreNotOneComponentAreRefused() {
        for (String bad : List.of("..", ".", "", "a/b", "/etc", "sub/", "/", "x\0y", "\0")) {
            assertErrno(Errno.EINVAL, () -> c.walk(fx.rwRoot, bad));
            assertErrno(Errno.EINVAL, () -> c.create(fx.rwRoot, bad, OpenFlags.O_RDWR, 0644));
            assertErrno(Errno.EINVAL, () -> c.mkdir(fx.rwRoot, bad, 0755));
            assertErrno(Errno.EINVAL, () -> c.symlink(fx.rwRoot, bad, "t"));
            assertErrno(Errno.EINVAL, () -> c.unlink(fx.rwRoot, bad, false));
            assertErrno(Errno.EINVAL, () -> c.rename(fx.rwRoot, "file.txt", fx.rwRoot, bad));
            assertErrno(Errno.EINVAL, () -> c.rename(fx.rwRoot, bad, fx.rwRoot, "x"));
        }
        assertErrno(Errno.ENAMETOOLONG, () -> c.walk(fx.rwRoot, "n".repeat(256)));
        assertErrno(Errno.ENAMETOOLONG, () -> c.create(fx.rwRoot, "é".repeat(128), OpenFlags.O_RDWR, 0644));
        assertTrue(Files.exists(fx.rw.resolve("file.txt")));
    }

    @Test
    void symlinksAreNeverWalkedThrough() throws Exception {
        int escape = fx.walk(fx.rwRoot, "escape_link");
        assertErrno(Errno.ENOTDIR, () -> c.walk(escape, "secret.txt"));
        assertErrno(Errno.ENOTDIR, () -> c.create(escape, "planted", OpenFlags.O_RDWR, 0644));
        assertErrno(Errno.ENOTDIR, () -> c.mkdir(escape, "planted", 0755));
        assertErrno(Errno.ENOTDIR, () -> c.symlink(escape, "planted", "x"));
        assertErrno(Errno.ENOTDIR, () -> c.unlink(escape, "secret.txt", false));
        assertErrno(Errno.ENOTDIR, () -> c.rename(escape, "secret.txt", fx.rwRoot, "stolen"));
        assertErrno(Errno.EBADF, () -> c.readdir(escape, 0, 4096));
        assertErrno(Errno.ELOOP, () -> c.open(escape, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY));
        assertErrno(Errno.ENOTDIR, () -> c.walk(fx.walk(fx.rwRoot, "passwd_link"), "x"));
        int passwd = fx.walk(fx.rwRoot, "passwd_link");
        assertErrno(Errno.ELOOP, () -> c.open(passwd, OpenFlags.O_RDONLY));
        assertEquals("/etc/passwd", c.readlink(passwd));
        assertTrue(c.stat(passwd).isSymlink());
        assertEquals("/etc/passwd".length(), c.stat(passwd).size(), "the link's own size, not the target's");
        // STATFS does not look at the target either: a missing one is not revealed.
        c.statfs(fx.walk(fx.rwRoot, "dangling"));
        c.symlink(fx.rwRoot, "probe", "/no/such/host/path");
        c.statfs(fx.walk(fx.rwRoot, "probe"));
        // SETATTR on a symlink never reaches its target.
        c.setattr(passwd, SetAttr.owner(0, 0));
        assertErrno(Errno.EINVAL, () -> c.setattr(passwd, SetAttr.size(0)));
    }

    @Test
    void aDirectorySwappedForASymlinkOnTheHostIsNotFollowed() throws Exception {
        int sub = fx.walk(fx.rwRoot, "sub");
        int inner = fx.walk(sub, "inner.txt");
        // The host replaces sub/ with a symlink to outside/ that holds an "inner.txt" too.
        Files.writeString(fx.outside.resolve("inner.txt"), "outside!");
        outsideBefore = Fixture.snapshot(fx.outside);
        Files.move(fx.rw.resolve("sub"), fx.rw.resolve("sub.old"));
        Files.createSymbolicLink(fx.rw.resolve("sub"), fx.outside);
        assertErrno(Errno.ELOOP, () -> c.stat(inner));
        assertErrno(Errno.ELOOP, () -> c.open(inner, OpenFlags.O_RDONLY));
        assertErrno(Errno.ELOOP, () -> c.setattr(inner, SetAttr.size(0)));
        assertErrno(Errno.ELOOP, () -> c.cloneFid(inner));
        assertErrno(Errno.ENOTDIR, () -> c.walk(sub, "inner.txt"));
        assertErrno(Errno.ENOTDIR, () -> c.create(sub, "planted", OpenFlags.O_RDWR, 0644));
        assertErrno(Errno.ENOTDIR, () -> c.unlink(sub, "inner.txt", false));
        assertFalse(Files.exists(fx.outside.resolve("planted")));
    }

    @Test
    void aSymlinkMadeThroughTheGoferCannotBeUsedToEscape() throws Exception {
        c.symlink(fx.rwRoot, "root_link", "/");
        c.symlink(fx.rwRoot, "up", "..");
        int root = fx.walk(fx.rwRoot, "root_link");
        assertErrno(Errno.ENOTDIR, () -> c.walk(root, "etc"));
        assertErrno(Errno.ENOTDIR, () -> c.walk(fx.walk(fx.rwRoot, "up"), "outside"));
        // Rename a directory away and put a symlink in its place: fids under it followed the
        // rename, so they name the moved directory, never the symlink's target.
        int sub = fx.walk(fx.rwRoot, "sub");
        int inner = fx.walk(sub, "inner.txt");
        c.rename(fx.rwRoot, "sub", fx.rwRoot, "sub2");
        c.symlink(fx.rwRoot, "sub", fx.outside.toString());
        c.open(inner, OpenFlags.O_RDWR);
        c.write(inner, 0, "still inside".getBytes(StandardCharsets.UTF_8));
        assertEquals("still inside", Files.readString(fx.rw.resolve("sub2/inner.txt")));
        // A hard link of the symlink is a symlink too, not a link to its target.
        Attr l = c.link(root, fx.rwRoot, "root_link2");
        assertTrue(l.isSymlink());
    }
}
