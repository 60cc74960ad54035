package dev.jvisor.gofer;

import static dev.jvisor.gofer.Fixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ATTACH, WALK, CLONE, STAT, READLINK, READDIR, STATFS, CLUNK against what the host says. */
class LookupTest {
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
    void attachReportsExportsAndRefusesUnknownNames() throws Exception {
        Attached rw = c.attach("rw");
        assertFalse(rw.readOnly());
        assertTrue(rw.attr().isDirectory());
        assertTrue(c.attach("ro").readOnly());
        assertStatMatches(fx.rw, rw.attr());
        assertErrno(Errno.ENOENT, () -> c.attach("nope"));
        assertErrno(Errno.ENOENT, () -> c.attach(""));
    }

    @Test
    void statMatchesTheHostForEveryKindOfFile() throws Exception {
        List<String> paths = new ArrayList<>(List.of("file.txt", "sub", "sub/inner.txt", "sub/deeper", "empty",
                "passwd_link", "escape_link", "dangling"));
        if (fx.hasFifo) {
            paths.add("fifo");
        }
        for (String p : paths) {
            int slash = p.lastIndexOf('/');
            int dir = slash < 0 ? fx.rwRoot : fx.walk(fx.rwRoot, p.substring(0, slash));
            FidAttr w = c.walk(dir, p.substring(slash + 1));
            assertStatMatches(fx.rw.resolve(p), w.attr());
            assertStatMatches(fx.rw.resolve(p), c.stat(w.fid()));
        }
    }

    @Test
    void walkReturnsTheSymlinkItselfAndReadlinkItsText() throws Exception {
        FidAttr passwd = c.walk(fx.rwRoot, "passwd_link");
        assertTrue(passwd.attr().isSymlink());
        assertEquals("/etc/passwd", c.readlink(passwd.fid()));
        assertEquals("../outside", c.readlink(c.walk(fx.rwRoot, "escape_link").fid()));
        assertEquals("does-not-exist", c.readlink(c.walk(fx.rwRoot, "dangling").fid()));
        assertErrno(Errno.EINVAL, () -> c.readlink(c.walk(fx.rwRoot, "file.txt").fid()));
        assertErrno(Errno.EINVAL, () -> c.readlink(fx.rwRoot));
        assertErrno(Errno.ENOENT, () -> c.walk(fx.rwRoot, "missing"));
        assertErrno(Errno.ENOTDIR, () -> c.walk(c.walk(fx.rwRoot, "file.txt").fid(), "x"));
    }

    @Test
    void cloneAndClunk() throws Exception {
        int file = fx.walk(fx.rwRoot, "file.txt");
        FidAttr copy = c.cloneFid(file);
        assertTrue(copy.fid() != file);
        assertEquals(c.stat(file).ino(), copy.attr().ino());
        c.clunk(file);
        assertErrno(Errno.EBADF, () -> c.stat(file));
        assertErrno(Errno.EBADF, () -> c.clunk(file));
        assertEquals(Fixture.HELLO.length(), c.stat(copy.fid()).size());
        assertErrno(Errno.EBADF, () -> c.stat(987654));
    }

    @Test
    void readdirReturnsEveryEntryWithTypeAndInode() throws Exception {
        int dir = c.cloneFid(fx.rwRoot).fid();
        assertErrno(Errno.EBADF, () -> c.readdir(dir, 0, 4096));
        c.open(dir, OpenFlags.O_RDONLY);
        List<DirEntry> entries = c.readdir(dir, 0, 65536);
        Set<String> expected = new TreeSet<>();
        try (var s = Files.list(fx.rw)) {
            s.forEach(p -> expected.add(p.getFileName().toString()));
        }
        assertEquals(expected, new TreeSet<>(fx.names(entries)));
        assertEquals(expected.size(), entries.size(), "no duplicates, no . or ..");
        for (DirEntry e : entries) {
            Map<String, Object> host = Files.readAttributes(fx.rw.resolve(e.name()), "unix:*", LinkOption.NOFOLLOW_LINKS);
            assertEquals(host.get("ino"), e.ino(), e.name());
            assertEquals(DirEntry.typeOf((Integer) host.get("mode")), e.type(), e.name());
        }
        assertEquals(DirEntry.DT_LNK, byName(entries, "passwd_link").type());
        assertEquals(DirEntry.DT_DIR, byName(entries, "sub").type());
        assertEquals(DirEntry.DT_REG, byName(entries, "file.txt").type());
        if (fx.hasFifo) {
            assertEquals(DirEntry.DT_FIFO, byName(entries, "fifo").type());
        }
        assertTrue(c.readdir(dir, entries.get(entries.size() - 1).nextCookie(), 65536).isEmpty());
    }

    @Test
    void readdirInSmallPiecesSeesEachEntryOnce() throws Exception {
        for (int i = 0; i < 100; i++) {
            Files.writeString(fx.rw.resolve("empty/entry-" + i), "");
        }
        int dir = fx.walk(fx.rwRoot, "empty");
        c.open(dir, OpenFlags.O_RDONLY);
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        int calls = 0;
        while (true) {
            List<DirEntry> part = c.readdir(dir, cookie, 100);
            if (part.isEmpty()) {
                break;
            }
            calls++;
            part.forEach(e -> seen.add(e.name()));
            cookie = part.get(part.size() - 1).nextCookie();
        }
        assertEquals(100, seen.size());
        assertEquals(100, new HashSet<>(seen).size());
        assertTrue(calls > 10, "maxBytes was honoured");
        assertErrno(Errno.EINVAL, () -> c.readdir(dir, 0, 10)); // no entry fits
        assertTrue(c.readdir(dir, 1_000_000, 4096).isEmpty());
        int file = fx.walk(fx.rwRoot, "file.txt");
        c.open(file, OpenFlags.O_RDONLY);
        assertErrno(Errno.ENOTDIR, () -> c.readdir(file, 0, 4096));
    }

    @Test
    void statfsDescribesTheHostFileSystem() throws Exception {
        StatFs s = c.statfs(fx.rwRoot);
        FileStore store = Files.getFileStore(fx.rw);
        assertEquals(store.getBlockSize(), s.bsize());
        assertEquals(store.getTotalSpace() / s.bsize(), s.blocks());
        assertTrue(s.bavail() <= s.bfree() && s.bfree() <= s.blocks());
        assertEquals(255, s.namelen());
        if (store.type().equals("ext4")) {
            assertEquals(0xEF53, s.type());
        }
    }

    @Test
    void statReportsNanosecondTimes() throws Exception {
        Path f = fx.rw.resolve("file.txt");
        Files.setLastModifiedTime(f, FileTime.from(java.time.Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
        Attr a = c.stat(fx.walk(fx.rwRoot, "file.txt"));
        assumeTrue(((FileTime) Files.getAttribute(f, "unix:lastModifiedTime")).toInstant().getNano() == 123_456_789);
        assertEquals(new Timespec(1_600_000_000L, 123_456_789), a.mtime());
    }

    static DirEntry byName(List<DirEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /** Every field against Files.readAttributes(p, "unix:*", NOFOLLOW_LINKS). */
    static void assertStatMatches(Path p, Attr a) throws Exception {
        Map<String, Object> h = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        String where = p.toString();
        assertEquals((int) (Integer) h.get("mode"), a.mode(), where);
        assertEquals((long) (Integer) h.get("nlink"), a.nlink(), where);
        assertEquals((int) (Integer) h.get("uid"), a.uid(), where);
        assertEquals((int) (Integer) h.get("gid"), a.gid(), where);
        assertEquals((long) (Long) h.get("size"), a.size(), where);
        assertEquals((long) (Long) h.get("ino"), a.ino(), where);
        assertEquals((long) (Long) h.get("dev"), a.dev(), where);
        assertEquals((long) (Long) h.get("rdev"), a.rdev(), where);
        assertEquals(Timespec.of((FileTime) h.get("lastAccessTime")), a.atime(), where);
        assertEquals(Timespec.of((FileTime) h.get("lastModifiedTime")), a.mtime(), where);
        assertEquals(Timespec.of((FileTime) h.get("ctime")), a.ctime(), where);
        assertEquals(Files.getFileStore(p.getParent()).getBlockSize(), a.blksize(), where);
        if (a.isRegularFile()) {
            assertEquals((a.size() + a.blksize() - 1) / a.blksize() * a.blksize() / 512, a.blocks(), where);
        }
    }
}
