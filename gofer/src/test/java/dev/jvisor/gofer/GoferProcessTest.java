package dev.jvisor.gofer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gofer process: spawned, used, killed. */
class GoferProcessTest {
    @TempDir
    Path tmp;

    @Test
    void spawnStatAndKill() throws Exception {
        Path rw = Fixture.populate(tmp.resolve("rw"));
        try (GoferProcess g = GoferProcess.start(List.of(new Export("root", rw, true)))) {
            GoferClient c = g.client();
            Attached root = c.attach("root");
            assertTrue(root.readOnly());
            FidAttr f = c.walk(root.fid(), "file.txt");
            LookupTest.assertStatMatches(rw.resolve("file.txt"), f.attr());
            c.open(f.fid(), OpenFlags.O_RDONLY);
            assertEquals(Fixture.HELLO, new String(c.read(f.fid(), 0, 100), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(Errno.EROFS, assertThrows(GoferException.class, () -> c.mkdir(root.fid(), "d", 0755)).errno());
            assertFalse(Files.exists(g.socketDirectory()), "socket and its directory are gone once connected");

            ProcessHandle.of(g.pid()).orElseThrow().destroyForcibly();
            long start = System.nanoTime();
            GoferException e = assertThrows(GoferException.class, () -> c.stat(root.fid()));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "EIO promptly");
            assertFalse(c.isConnected());
        }
    }

    @Test
    void closeStopsTheProcess() throws Exception {
        Path rw = Fixture.populate(tmp.resolve("rw"));
        GoferProcess g = GoferProcess.start(List.of(new Export("root", rw, false)));
        ProcessHandle h = ProcessHandle.of(g.pid()).orElseThrow();
        g.client().attach("root");
        g.close();
        h.onExit().get(5, TimeUnit.SECONDS);
        assertFalse(g.isAlive());
    }

    @Test
    void aMissingExportIsReportedBeforeConnecting() {
        IOException e = assertThrows(IOException.class, () -> GoferProcess.start(
                List.of(new Export("root", tmp.resolve("missing"), false)), Duration.ofSeconds(20), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("exited with status 2"), e.getMessage());
    }
}
