package dev.jvisor.platform.host;

import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import dev.jvisor.platform.PlatformException;
import dev.jvisor.platform.StubBinary;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts stub processes with posix_spawn from one long-lived thread. The stub sets
 * PR_SET_PDEATHSIG, which fires when the *thread* that created it exits, so all stubs are spawned by
 * this thread, which lives as long as the platform. Never fork the JVM, never ProcessBuilder: the
 * JDK's reaper would steal the stubs' wait statuses.
 */
public final class StubLauncher implements AutoCloseable {
    private static final short POSIX_SPAWN_SETSID = 0x80;

    private final Path stub = StubBinary.path();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvisor-stub-launcher");
        t.setDaemon(true);
        return t;
    });

    /** Spawns the stub in {@code mode} ("systrap" or "ptrace") with the memory file and sysmsg file as fds 3 and 4. */
    public int spawn(String mode, int memoryFd, int sysmsgFd) {
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> doSpawn(mode, memoryFd, sysmsgFd), thread);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while starting a stub");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PlatformException p ? p : new PlatformException("cannot start a stub", e.getCause());
        }
    }

    private int doSpawn(String mode, int memoryFd, int sysmsgFd) {
        try (Memory actions = new Memory(512); Memory attr = new Memory(512)) {
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawnattr_init(attr);
            try {
                Libc.posix_spawn_file_actions_adddup2(actions, memoryFd, StubBinary.MEMFILE_FD);
                Libc.posix_spawn_file_actions_adddup2(actions, sysmsgFd, StubBinary.SYSMSG_FD);
                Libc.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID);
                int[] pid = new int[1];
                StringArray argv = new StringArray(new String[] {stub.toString(), mode, Integer.toString(Libc.getpid())});
                StringArray envp = new StringArray(new String[0]);
                int rc = Libc.posix_spawn(pid, stub.toString(), actions, attr, argv, envp);
                if (rc != 0) {
                    throw new PlatformException("posix_spawn of the stub " + stub + " failed: host errno " + rc);
                }
                return pid[0];
            } finally {
                Libc.posix_spawn_file_actions_destroy(actions);
                Libc.posix_spawnattr_destroy(attr);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
