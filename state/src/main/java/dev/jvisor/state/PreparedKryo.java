package dev.jvisor.state;

import com.esotericsoftware.kryo.Kryo;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A Kryo instance for reading one snapshot graph, built on a thread of its own while the caller
 * does other work: in a cold JVM building one takes about 100 ms, a large part of a restore.
 * Handed to the graph reader's thread when done (a Kryo is used by one thread at a time).
 */
public final class PreparedKryo {
    private final CompletableFuture<Kryo> kryo = new CompletableFuture<>();

    private PreparedKryo() {}

    /** Starts building a Kryo for {@code registry}. */
    public static PreparedKryo start(ClassRegistry registry) {
        PreparedKryo p = new PreparedKryo();
        Thread t = new Thread(() -> {
            try {
                p.kryo.complete(SnapshotKryo.create(registry));
            } catch (RuntimeException | Error e) {
                p.kryo.completeExceptionally(e);
            }
        }, "snapshot-kryo");
        t.setDaemon(true);
        t.start();
        return p;
    }

    Kryo await() throws IOException {
        return Workers.await(kryo, "the snapshot graph reader");
    }
}
