package dev.jvisor.gofer;

import static dev.jvisor.gofer.Fixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mutation of a read-only export is EROFS and leaves the host tree as it was; reads still work. */
class ReadOnlyExportTest {
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

    @Test
    void everyMutationIsRefused() throws Exception {
        Map<String, String> before = Fixture.snapshot(fx.ro);
        int root = fx.roRoot;
        int file = fx.walk(root, "file.txt");
        int sub = fx.walk(root, "sub");
        int link = fx.walk(root, "passwd_link");

        assertErrno(Errno.EROFS, () -> c.open(c.cloneFid(file).fid(), OpenFlags.O_WRONLY));
        assertErrno(Errno.EROFS, () -> c.open(c.cloneFid(file).fid(), OpenFlags.O_RDWR));
        assertErrno(Errno.EROFS, () -> c.open(c.cloneFid(file).fid(), OpenFlags.O_RDONLY | OpenFlags.O_TRUNC));
        assertErrno(Errno.EROFS, () -> c.open(c.cloneFid(file).fid(), OpenFlags.O_WRONLY | OpenFlags.O_APPEND));
        assertErrno(Errno.EROFS, () -> c.create(root, "new", OpenFlags.O_RDWR, 0644));
        assertErrno(Errno.EROFS, () -> c.create(root, "file.txt", OpenFlags.O_RDWR, 0644));
        assertErrno(Errno.EROFS, () -> c.mkdir(root, "newdir", 0755));
        assertErrno(Errno.EROFS, () -> c.mknod(root, "node", Attr.S_IFREG | 0644, 0));
        assertErrno(Errno.EROFS, () -> c.unlink(root, "file.txt", false));
        assertErrno(Errno.EROFS, () -> c.unlink(root, "empty", true));
        assertErrno(Errno.EROFS, () -> c.unlink(root, "passwd_link", false));
        assertErrno(Errno.EROFS, () -> c.rename(root, "file.txt", sub, "moved"));
        assertErrno(Errno.EROFS, () -> c.link(file, root, "hard"));
        assertErrno(Errno.EROFS, () -> c.symlink(root, "sym", "/etc"));
        assertErrno(Errno.EROFS, () -> c.setattr(file, SetAttr.mode(0777)));
        assertErrno(Errno.EROFS, () -> c.setattr(file, SetAttr.size(0)));
        assertErrno(Errno.EROFS, () -> c.setattr(file, SetAttr.owner(1, 1)));
        assertErrno(Errno.EROFS, () -> c.setattr(file, SetAttr.times(new Timespec(1, 0), new Timespec(2, 0))));
        assertErrno(Errno.EROFS, () -> c.setattr(link, SetAttr.times(new Timespec(1, 0), null)));
        assertErrno(Errno.EROFS, () -> c.setattr(root, SetAttr.mode(0777)));
        // A read-only file cannot be made writable through a link into a writable export.
        assertErrno(Errno.EXDEV, () -> c.link(file, fx.rwRoot, "stolen"));
        assertErrno(Errno.EXDEV, () -> c.rename(root, "file.txt", fx.rwRoot, "stolen"));

        assertEquals(before, Fixture.snapshot(fx.ro));
    }

    @Test
    void readsAndMetadataStillWork() throws Exception {
        int file = fx.walk(fx.roRoot, "file.txt");
        c.open(file, OpenFlags.O_RDONLY);
        assertEquals(Fixture.HELLO, new String(c.read(file, 0, 64), StandardCharsets.UTF_8));
        assertErrno(Errno.EBADF, () -> c.write(file, 0, new byte[] {1}));
        c.fsync(file);
        int dir = c.cloneFid(fx.roRoot).fid();
        c.open(dir, OpenFlags.O_RDONLY);
        assertEquals(Fixture.snapshot(fx.ro).keySet().stream().filter(k -> !k.isEmpty() && !k.contains("/")).count(),
                c.readdir(dir, 0, 65536).size());
        assertEquals("/etc/passwd", c.readlink(fx.walk(fx.roRoot, "passwd_link")));
        c.statfs(fx.roRoot);
        // A SETATTR that changes nothing is a stat, allowed anywhere.
        assertEquals(c.stat(file), c.setattr(file, new SetAttr(0, 0, 0, 0, 0, null, null)));
    }
}
