package dev.jvisor.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Reads an object graph written by {@link GraphWriter}, on a dedicated big-stack thread. It does
 * not verify the file's checksum: {@link SnapshotReader} does that before calling it.
 */
public final class GraphReader {
    private final Callable<Kryo> kryo;

    public GraphReader(ClassRegistry registry) {
        this.kryo = () -> SnapshotKryo.create(registry);
    }

    /** A reader with a Kryo already being built. */
    public GraphReader(PreparedKryo prepared) {
        this.kryo = prepared::await;
    }

    /** Reads the graph whose root must be a {@code rootType}. */
    public <T> T read(Path file, Class<T> rootType) throws IOException {
        Object root = BigStack.call(file, "kernel graph", () -> readHere(file));
        if (!rootType.isInstance(root)) {
            throw new SnapshotException(file, "kernel graph root is a "
                    + (root == null ? "null" : root.getClass().getName()) + ", not a "
                    + rootType.getName());
        }
        return rootType.cast(root);
    }

    private Object readHere(Path file) throws Exception {
        Kryo kryo = this.kryo.call();
        try (InputStream raw = Files.newInputStream(file);
                Input in = new Input(new ZstdInputStreamNoFinalizer(raw), 1 << 16)) {
            return kryo.readClassAndObject(in);
        } catch (KryoException | IllegalArgumentException e) {
            throw KryoFailure.of(file, "cannot read kernel graph", e);
        }
    }
}
