package dev.jvisor.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes an object graph (the kernel) to a zstd-compressed Kryo file, on a dedicated big-stack
 * thread, and returns the size and CRC32C of the bytes written. Read it back with {@link
 * GraphReader} and the same {@link ClassRegistry}.
 */
public final class GraphWriter {
    /** zstd level 3 is zstd's own default; the graph is small next to memory and Kryo is slower. */
    public static final int DEFAULT_LEVEL = 3;

    private final ClassRegistry registry;
    private final int level;
    private final long stackBytes;

    public GraphWriter(ClassRegistry registry) {
        this(registry, DEFAULT_LEVEL);
    }

    public GraphWriter(ClassRegistry registry, int zstdLevel) {
        this(registry, zstdLevel, BigStack.STACK_BYTES);
    }

    GraphWriter(ClassRegistry registry, int zstdLevel, long stackBytes) {
        this.registry = registry;
        this.level = zstdLevel;
        this.stackBytes = stackBytes;
    }

    /** Writes {@code root} and everything it reaches to a new file. */
    public FileDigest write(Path file, Object root) throws IOException {
        return BigStack.call(file, "kernel graph", stackBytes, () -> writeHere(file, root));
    }

    private FileDigest writeHere(Path file, Object root) throws IOException {
        Kryo kryo = SnapshotKryo.create(registry);
        CRC32C crc = new CRC32C();
        try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
                Output out = new Output(new ZstdOutputStreamNoFinalizer(
                        new CheckedOutputStream(raw, crc), level), 1 << 16)) {
            kryo.writeClassAndObject(out, root);
        } catch (KryoException | IllegalArgumentException e) {
            // Kryo reports unregistered classes as IllegalArgumentException, with the field path
            // from the root in the message when the class sits deeper in the graph.
            throw KryoFailure.of(file, "cannot write kernel graph", e);
        }
        return new FileDigest(Files.size(file), crc.getValue());
    }
}
