package dev.jvisor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * inotify(7) against Linux: the inotify sample's events of every kind on tmpfs (/dev/shm) and on the
 * root overlay (/tmp), watch flags, coalescing, the read-buffer rule, overflow, blocking, poll and
 * epoll; and an instance with queued events, an epoll set and a blocked reader across a checkpoint.
 */
class InotifyTest {

    @ParameterizedTest(name = "[{0}] inotify on tmpfs and the root overlay")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void inotifySample(String platform) {
        Run r = Expect.compare(Jvisor.sample(platform, "inotify", "/dev/shm", "/tmp"),
                Native.sample("inotify", "/dev/shm", "/tmp"));
        assertEquals(0, r.exitCode, r::describe);
        assertTrue(r.stdout().contains("  names wd=1 MOVED_FROM cookie=c1 name=a\n  names wd=1 MOVED_TO cookie=c1 name=b\n"),
                r::describe);
        assertTrue(r.stdout().contains("events 16385 overflows 1 last wd -1 mask 0x4000\n"), r::describe);
        assertTrue(r.stdout().contains("restarted read 32 signal 1\n"), r::describe);
        assertTrue(r.stdout().contains("  other wd=1 DELETE|ISDIR name=od\n"), r::describe);
    }

    @ParameterizedTest(name = "[{0}] an inotify instance with queued events across a checkpoint")
    @MethodSource("dev.jvisor.tests.Platforms#all")
    void inotifySurvivesCheckpoint(String platform) {
        Run nat = Native.sample("inotifyckpt", "10", "100").run();
        assertEquals(0, nat.exitCode, nat::describe);
        String joined = CheckpointRun.continues(platform, "400ms", nat, Jvisor.sample("inotifyckpt"), "10", "100");
        assertTrue(joined.contains("epoll_wait: 1 events 0x1 data 42\n"), joined);
        assertTrue(joined.contains("  child wd=1 mask=0x100 name=new\n"), joined);
        assertTrue(joined.contains("  new wd=2 mask=0x400\n  new wd=2 mask=0x8000\n"), joined);
    }
}
