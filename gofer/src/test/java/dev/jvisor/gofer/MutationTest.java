package dev.jvisor.gofer;

import static dev.jvisor.gofer.Fixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CREATE, MKDIR, MKNOD, UNLINK, RENAME, LINK, SYMLINK, SETATTR: effects visible on disk, fids kept in step. */
class MutationTest {
    @TempDir
    Path tmp;
    Fixture fx;
    GoferClient c;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        c = fx.client;
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void createIsExclusiveWithTheExactMode() throws Exception {
        FidAttr f = c.create(fx.rwRoot, "new.txt", OpenFlags.O_WRONLY, 02640);
        Path p = fx.rw.resolve("new.txt");
        assertEquals(Attr.S_IFREG | 02640, mode(p));
        LookupTest.assertStatMatches(p, f.attr());
        c.write(f.fid(), 0, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("x", Files.readString(p));
        assertErrno(Errno.EBADF, () -> c.read(f.fid(), 0, 1));
        // A read-only mode must not stop the creator from writing, as open(O_CREAT) on Linux.
        FidAttr ro = c.create(fx.rwRoot, "readonly.txt", OpenFlags.O_RDWR, 0444);
        c.write(ro.fid(), 0, "ok".getBytes(StandardCharsets.UTF_8));
        assertErrno(Errno.EEXIST, () -> c.create(fx.rwRoot, "file.txt", OpenFlags.O_RDWR, 0644));
        assertErrno(Errno.EEXIST, () -> c.create(fx.rwRoot, "dangling", OpenFlags.O_RDWR, 0644));
        assertFalse(Files.exists(fx.rw.resolve("does-not-exist"), LinkOption.NOFOLLOW_LINKS), "symlink not followed");
        assertErrno(Errno.ENOTDIR, () -> c.create(fx.walk(fx.rwRoot, "file.txt"), "x", 0, 0644));
        assertEquals(Fixture.HELLO, Files.readString(fx.rw.resolve("file.txt")));
    }

    @Test
    void mkdirAndMknod() throws Exception {
        Attr d = c.mkdir(fx.rwRoot, "newdir", 0750);
        assertTrue(d.isDirectory());
        assertEquals(Attr.S_IFDIR | 0750, mode(fx.rw.resolve("newdir")));
        assertErrno(Errno.EEXIST, () -> c.mkdir(fx.rwRoot, "sub", 0755));
        Attr n = c.mknod(fx.rwRoot, "node", Attr.S_IFREG | 0600, 0);
        assertTrue(n.isRegularFile());
        assertEquals(Attr.S_IFREG | 0600, mode(fx.rw.resolve("node")));
        assertErrno(Errno.EPERM, () -> c.mknod(fx.rwRoot, "pipe", Attr.S_IFIFO | 0600, 0));
        assertErrno(Errno.EPERM, () -> c.mknod(fx.rwRoot, "null", Attr.S_IFCHR | 0600, 0x103));
        assertFalse(Files.exists(fx.rw.resolve("pipe"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void unlinkFilesAndDirectories() throws Exception {
        c.unlink(fx.rwRoot, "file.txt", false);
        assertFalse(Files.exists(fx.rw.resolve("file.txt")));
        c.unlink(fx.rwRoot, "empty", true);
        assertFalse(Files.exists(fx.rw.resolve("empty")));
        c.unlink(fx.rwRoot, "escape_link", false);
        assertFalse(Files.exists(fx.rw.resolve("escape_link"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(fx.outside.resolve("secret.txt")), "the link's target is untouched");
        assertErrno(Errno.EISDIR, () -> c.unlink(fx.rwRoot, "sub", false));
        assertErrno(Errno.ENOTDIR, () -> c.unlink(fx.walk(fx.rwRoot, "sub"), "inner.txt", true));
        assertErrno(Errno.ENOTEMPTY, () -> c.unlink(fx.rwRoot, "sub", true));
        assertErrno(Errno.ENOENT, () -> c.unlink(fx.rwRoot, "missing", false));
    }

    @Test
    void anUnlinkedOpenFileStaysUsableAndItsNameIsNotReused() throws Exception {
        int f = fx.walk(fx.rwRoot, "file.txt");
        c.open(f, OpenFlags.O_RDWR);
        c.unlink(fx.rwRoot, "file.txt", false);
        assertEquals(Fixture.HELLO, new String(c.read(f, 0, 100), StandardCharsets.UTF_8));
        c.write(f, 0, "HELLO".getBytes(StandardCharsets.UTF_8));
        Attr a = c.stat(f);
        assertEquals(0, a.nlink());
        assertEquals(Fixture.HELLO.length(), a.size());
        c.setattr(f, SetAttr.size(2));
        assertEquals(2, c.stat(f).size());
        // A new file under the old name is another file: the old fid must not act on it.
        c.create(fx.rwRoot, "file.txt", OpenFlags.O_RDWR, 0644);
        assertEquals(0, Files.size(fx.rw.resolve("file.txt")));
        assertErrno(Errno.ENOENT, () -> c.cloneFid(f));
        assertErrno(Errno.ENOENT, () -> c.setattr(f, SetAttr.mode(0600)));
        assertEquals(2, c.stat(f).size());
    }

    @Test
    void renameMovesFilesAndTheirFids() throws Exception {
        int sub = fx.walk(fx.rwRoot, "sub");
        int inner = fx.walk(sub, "inner.txt");
        int empty = fx.walk(fx.rwRoot, "empty");
        c.rename(fx.rwRoot, "sub", empty, "moved");
        assertTrue(Files.isDirectory(fx.rw.resolve("empty/moved")));
        assertEquals("inner", Files.readString(fx.rw.resolve("empty/moved/inner.txt")));
        // Fids follow the renamed directory and what is below it.
        assertEquals(Files.size(fx.rw.resolve("empty/moved/inner.txt")), c.stat(inner).size());
        c.open(inner, OpenFlags.O_RDONLY);
        assertEquals("inner", new String(c.read(inner, 0, 10), StandardCharsets.UTF_8));
        assertTrue(c.walk(sub, "deeper").attr().isDirectory());
        // Rename over an existing file replaces it; the replaced file's fid is detached.
        int file = fx.walk(fx.rwRoot, "file.txt");
        c.rename(sub, "inner.txt", fx.rwRoot, "file.txt");
        assertEquals("inner", Files.readString(fx.rw.resolve("file.txt")));
        assertEquals(0, c.stat(file).nlink());
        assertEquals(5, c.stat(inner).size());
        assertErrno(Errno.ENOENT, () -> c.rename(fx.rwRoot, "missing", fx.rwRoot, "x"));
        assertErrno(Errno.EXDEV, () -> c.rename(fx.rwRoot, "file.txt", fx.roRoot, "x"));
        assertErrno(Errno.EISDIR, () -> c.rename(fx.rwRoot, "file.txt", fx.rwRoot, "empty"));
        assertErrno(Errno.EINVAL, () -> c.rename(fx.rwRoot, "empty", empty, "inside"));
    }

    @Test
    void renameBetweenHardLinksOfOneFileDoesNothing() throws Exception {
        int file = fx.walk(fx.rwRoot, "file.txt");
        c.link(file, fx.rwRoot, "twin");
        c.rename(fx.rwRoot, "file.txt", fx.rwRoot, "twin");
        assertTrue(Files.exists(fx.rw.resolve("file.txt")));
        assertEquals(2, c.stat(file).nlink());
    }

    @Test
    void linkAndSymlink() throws Exception {
        int file = fx.walk(fx.rwRoot, "file.txt");
        Attr l = c.link(file, fx.walk(fx.rwRoot, "sub"), "hard");
        assertEquals(2, l.nlink());
        assertEquals(c.stat(file).ino(), l.ino());
        assertEquals(Files.getAttribute(fx.rw.resolve("file.txt"), "unix:ino"), Files.getAttribute(fx.rw.resolve("sub/hard"), "unix:ino"));
        assertErrno(Errno.EPERM, () -> c.link(fx.walk(fx.rwRoot, "sub"), fx.rwRoot, "dirlink"));
        assertErrno(Errno.EXDEV, () -> c.link(fx.walk(fx.roRoot, "file.txt"), fx.rwRoot, "stolen"));
        assertErrno(Errno.EEXIST, () -> c.link(file, fx.rwRoot, "sub"));

        Attr s = c.symlink(fx.rwRoot, "sym", "../../some/where");
        assertTrue(s.isSymlink());
        assertEquals("../../some/where", Files.readSymbolicLink(fx.rw.resolve("sym")).toString());
        assertEquals("../../some/where", c.readlink(fx.walk(fx.rwRoot, "sym")));
        assertErrno(Errno.EEXIST, () -> c.symlink(fx.rwRoot, "file.txt", "x"));
        assertErrno(Errno.ENOENT, () -> c.symlink(fx.rwRoot, "e", ""));
        assertErrno(Errno.EINVAL, () -> c.symlink(fx.rwRoot, "n", "a\0b"));
        assertErrno(Errno.ENAMETOOLONG, () -> c.symlink(fx.rwRoot, "long", "x".repeat(4096)));
    }

    @Test
    void setattrChangesModeOwnerSizeAndTimes() throws Exception {
        Path p = fx.rw.resolve("file.txt");
        int f = fx.walk(fx.rwRoot, "file.txt");
        assertEquals(Attr.S_IFREG | 04711, c.setattr(f, SetAttr.mode(04711)).mode());
        assertEquals(Attr.S_IFREG | 04711, mode(p));
        assertEquals(5, c.setattr(f, SetAttr.size(5)).size());
        assertEquals("hello", Files.readString(p));
        Attr grown = c.setattr(f, SetAttr.size(1 << 20));
        assertEquals(1 << 20, grown.size());
        assertEquals(1 << 20, Files.size(p));
        assertEquals(0, Files.readAllBytes(p)[1000]);
        Timespec at = new Timespec(1_000_000_000L, 111_111_111);
        Timespec mt = new Timespec(1_200_000_000L, 987_654_321);
        Attr t = c.setattr(f, SetAttr.times(at, mt));
        assertEquals(at, t.atime());
        assertEquals(mt, t.mtime());
        assertEquals(mt, Timespec.of((FileTime) Files.getAttribute(p, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS)));
        Attr now = c.setattr(f, new SetAttr(SetAttr.MTIME_NOW, 0, 0, 0, 0, null, null));
        assertTrue(now.mtime().sec() > mt.sec());
        assertEquals(at, now.atime(), "atime left alone");
        if (c.stat(f).uid() == 0) { // only root may give files away
            Attr o = c.setattr(f, SetAttr.owner(1234, 5678));
            assertEquals(1234, o.uid());
            assertEquals(5678, o.gid());
            assertEquals(1234, Files.getAttribute(p, "unix:uid"));
        }
        assertErrno(Errno.EINVAL, () -> c.setattr(f, new SetAttr(1 << 20, 0, 0, 0, 0, null, null)));
        assertErrno(Errno.EINVAL, () -> c.setattr(f, SetAttr.size(-1)));
        assertErrno(Errno.EISDIR, () -> c.setattr(fx.walk(fx.rwRoot, "sub"), SetAttr.size(0)));
        assertErrno(Errno.EOPNOTSUPP, () -> c.setattr(fx.walk(fx.rwRoot, "passwd_link"), SetAttr.mode(0777)));
        assertErrno(Errno.EINVAL, () -> c.setattr(fx.walk(fx.rwRoot, "passwd_link"), SetAttr.size(0)));
        assertEquals(c.stat(f), c.setattr(f, new SetAttr(0, 0, 0, 0, 0, null, null)));
    }

    @Test
    void setattrOnSymlinksAndFifosActsOnThemNotTheirTargets() throws Exception {
        long passwdMtime = Files.getLastModifiedTime(Path.of("/etc/passwd")).toMillis();
        int link = fx.walk(fx.rwRoot, "passwd_link");
        Attr l = c.setattr(link, SetAttr.times(new Timespec(1000, 0), new Timespec(2000, 0)));
        assertEquals(2000, l.mtime().sec());
        assertEquals(passwdMtime, Files.getLastModifiedTime(Path.of("/etc/passwd")).toMillis());
        assumeTrue(fx.hasFifo);
        int fifo = fx.walk(fx.rwRoot, "fifo");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(3000, c.setattr(fifo, SetAttr.times(null, new Timespec(3000, 5))).mtime().sec());
            assertEquals(Attr.S_IFIFO | 0600, c.setattr(fifo, SetAttr.mode(0600)).mode());
        });
    }
}
