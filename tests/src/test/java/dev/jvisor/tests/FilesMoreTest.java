package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file syscalls beyond the everyday ones, each against Linux: tee, vmsplice, splice between
 * pipes and pipe sizes (pipesplice); O_TMPFILE and linkat, renameat2's flags, mknod of devices, the
 * utime family, the old getdents, preadv2/pwritev2, readahead, sync_file_range (filesmore); memfd
 * seals and memory locks (memseal); POSIX record locks released by any close and by exit
 * (recordlocks).
 */
class FilesMoreTest {

    @ParameterizedTest(name = "[{0}] tee, vmsplice, splice between pipes, pipe sizes")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void pipeSplice(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "pipesplice"), Native.sample("pipesplice"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("tee all: 11\nleft in a: 11, b: 5, c: 11\n"), r::describe);
        assertTrue(r.stdout().contains("after 16 pieces: Resource temporarily unavailable\n"), r::describe);
        assertTrue(r.stdout().contains("shrink below the data: -1 Device or resource busy\n"), r::describe);
        assertTrue(r.stdout().endsWith("writer killed by signal 13\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] O_TMPFILE, renameat2, mknod, utimes, getdents, preadv2 on tmpfs")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void filesMoreOnTmpfs(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "filesmore", "/dev/shm"), Native.sample("filesmore", "/dev/shm"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("linkat AT_EMPTY_PATH: 0\nnlink 1\nnamed: anonymous\n"), r::describe);
        assertTrue(r.stdout().contains("whiteout: chr 1 rdev 0:0 mode 0\n"), r::describe);
        assertTrue(r.stdout().contains("record lengths as Linux: 1\n"), r::describe);
        assertTrue(r.stdout().endsWith("cleanup: 0\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] O_TMPFILE on the root overlay")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void tmpfileOnOverlay(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "filesmore", "/tmp", "tmpfile"),
                Native.sample("filesmore", "/tmp", "tmpfile"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("linkat /proc/self/fd/N AT_SYMLINK_FOLLOW: 0\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] memfd seals and memory locks")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void sealsAndLocks(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "memseal"), Native.sample("memseal"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("F_SEAL_WRITE with a writable shared mapping: -1 Device or resource busy\n"),
                r::describe);
        assertTrue(r.stdout().contains("unprivileged mlock 1 more page: -1 Cannot allocate memory\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] POSIX record locks go with any close and with exit")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void recordLocks(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "recordlocks"), Native.sample("recordlocks"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("after dup2 over another fd of the file: free\n"), r::describe);
        assertTrue(r.stdout().endsWith("after exec closed the close-on-exec fd: free\n"), r::describe);
    }
}
