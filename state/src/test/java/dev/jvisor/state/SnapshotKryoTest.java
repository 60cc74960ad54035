package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jvisor.state.TestGraph.Files;
import dev.jvisor.state.TestGraph.Holder;
import dev.jvisor.state.TestGraph.State;
import dev.jvisor.state.TestGraph.Stranger;
import dev.jvisor.state.TestGraph.Task;
import dev.jvisor.state.TestGraph.Timer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotKryoTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(ClassRegistry registry, T root) {
        Kryo kryo = SnapshotKryo.create(registry);
        Output out = new Output(1 << 12, -1);
        kryo.writeClassAndObject(out, root);
        return (T) SnapshotKryo.create(registry).readClassAndObject(new Input(out.toBytes()));
    }

    @Test
    void graphWithCyclesAndSharedReferencesSurvives() throws Exception {
        Task init = new Task(1);
        Task child = new Task(2);
        child.parent = init;                   // cycle: parent <-> children
        init.children.add(child);
        init.children.add(init);               // self-reference
        Files shared = new Files();
        shared.fds.put(0, "/dev/null");
        init.files = shared;
        child.files = shared;                  // shared, not copied
        child.state = State.STOPPED;
        child.pageMap = new long[] {1, 2, 3};

        Task back = new GraphReader(TestGraph.REGISTRY).read(write(init), Task.class);

        assertEquals(1, back.tid);
        Task backChild = back.children.get(0);
        assertSame(back, backChild.parent);
        assertSame(back, back.children.get(1));
        assertSame(back.files, backChild.files);
        assertEquals(Map.of(0, "/dev/null"), back.files.fds);
        assertEquals(State.STOPPED, backChild.state);
        assertArrayEquals(new long[] {1, 2, 3}, backChild.pageMap);
        assertNull(back.hostThread, "transient fields are not written");
    }

    @Test
    void jdkTypesAreRegisteredAtFixedIds() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("record", new Timer(5, "alarm"));
        all.put("long", 1L << 40);
        all.put("int", 7);
        all.put("bool", Boolean.TRUE);
        all.put("bytes", new byte[] {1, 2});
        all.put("strings", new String[] {"a", null});
        all.put("objects", new Object[] {1, "x"});
        all.put("list", new ArrayList<>(List.of(1, 2)));
        all.put("listOf", List.of(1, 2, 3));
        all.put("mapOf", Map.of("k", 1));
        all.put("setOf", Set.of());
        all.put("empty", Collections.emptyList());
        all.put("hash", new HashMap<>(Map.of(1, 2)));
        all.put("tree", new TreeMap<>(Map.of(3, 4)));
        all.put("treeSet", new TreeSet<>(Set.of(5, 6)));
        all.put("linkedSet", new LinkedHashSet<>(List.of(9, 8)));
        all.put("deque", new ArrayDeque<>(List.of(1)));
        BitSet bits = new BitSet();
        bits.set(3);
        all.put("bits", bits);
        all.put("atomic", new AtomicLong(42));
        all.put("uuid", new UUID(1, 2));
        all.put("big", BigInteger.TEN.pow(30));
        all.put("instant", Instant.ofEpochSecond(1_700_000_000));
        all.put("duration", Duration.ofMillis(1500));
        all.put("optional", Optional.of("x"));

        Map<String, Object> back = roundTrip(r -> r.add(Timer.class, 100), all);

        assertEquals(all.keySet(), back.keySet());
        for (String k : all.keySet()) {
            Object want = all.get(k);
            Object got = back.get(k);
            if (want instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) got);
            } else if (want instanceof Object[] a) {
                assertArrayEquals(a, (Object[]) got);
            } else if (want instanceof ArrayDeque<?> d) {
                assertEquals(List.copyOf(d), List.copyOf((ArrayDeque<?>) got));
            } else if (want instanceof AtomicLong a) {
                assertEquals(a.get(), ((AtomicLong) got).get());
            } else {
                assertEquals(want, got, k);
            }
        }
    }

    /** Version 1 of a class, as an older jvisor wrote it. */
    static final class FileV1 {
        int fd;
        String path;
        Mode mode;
    }

    /** Version 2: {@code path} removed, {@code offset} added, enum constants reordered. */
    static final class FileV2 {
        long offset = -1;
        int fd;
        Mode2 mode;
    }

    enum Mode { READ, WRITE }

    enum Mode2 { APPEND, WRITE, READ }

    @Test
    void fieldsAndEnumConstantsCanChangeAcrossVersions() {
        FileV1 old = new FileV1();
        old.fd = 3;
        old.path = "/etc/hosts";
        old.mode = Mode.WRITE;
        Kryo v1 = SnapshotKryo.create(r -> {
            r.add(FileV1.class, 200);
            r.add(Mode.class, 201);
        });
        Output out = new Output(256, -1);
        v1.writeClassAndObject(out, old);

        // The same IDs bound to the new classes, as the next version's registry would.
        Kryo v2 = SnapshotKryo.create(r -> {
            r.add(FileV2.class, 200);
            r.add(Mode2.class, 201);
        });
        FileV2 now = (FileV2) v2.readClassAndObject(new Input(out.toBytes()));
        assertEquals(3, now.fd);
        assertEquals(Mode2.WRITE, now.mode);
        assertEquals(-1, now.offset, "the no-arg constructor ran, so the new field has its"
                + " initializer's value");
    }

    @Test
    void unregisteredClassFailsClearly() {
        Path file = tmp.resolve("kernel.bin");
        SnapshotException e = assertThrows(SnapshotException.class, () ->
                new GraphWriter(TestGraph.REGISTRY).write(file, new Holder(new Stranger())));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not registered"), e.getMessage());
        assertTrue(e.getMessage().contains(Stranger.class.getName()), e.getMessage());
    }

    @Test
    void readingWithoutTheRegistrationFailsClearly() throws Exception {
        Path file = write(new Holder(new Timer(1, "t")));
        SnapshotException e = assertThrows(SnapshotException.class, () ->
                new GraphReader(r -> r.add(Holder.class, 105)).read(file, Holder.class));
        assertTrue(e.getMessage().contains("cannot read kernel graph"), e.getMessage());
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
    }

    @Test
    void wrongRootTypeIsRefused() throws Exception {
        Path file = write(new Holder(1));
        SnapshotException e = assertThrows(SnapshotException.class, () ->
                new GraphReader(TestGraph.REGISTRY).read(file, Task.class));
        assertTrue(e.getMessage().contains("not a " + Task.class.getName()), e.getMessage());
    }

    @Test
    void duplicateIdIsRefusedAtSetup() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                SnapshotKryo.create(r -> {
                    r.add(Task.class, 100);
                    r.add(Files.class, 100);
                }));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        assertTrue(e.getMessage().contains(Task.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(Files.class.getName()), e.getMessage());
    }

    @Test
    void classRegisteredTwiceIsRefusedAtSetup() {
        assertThrows(IllegalStateException.class, () -> SnapshotKryo.create(r -> {
            r.add(Task.class, 100);
            r.add(Task.class, 101);
        }));
        // Already registered by the state module itself.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SnapshotKryo.create(r -> r.add(ArrayList.class, 100)));
        assertTrue(e.getMessage().contains("registered twice"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> SnapshotKryo.create(r -> r.add(Long.class, 100)));
    }

    @Test
    void callerIdsStartAt100() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SnapshotKryo.create(r -> r.add(Task.class, 99)));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertNotNull(SnapshotKryo.create(r -> r.add(Task.class, SnapshotKryo.FIRST_CALLER_ID)));
    }

    @Test
    void typesThatCannotBeRestoredAreRefusedAtSetup() {
        for (Class<?> bad : List.of(Collections.unmodifiableList(new ArrayList<>()).getClass(),
                Collections.synchronizedMap(new HashMap<>()).getClass(),
                java.util.EnumMap.class, ReentrantLock.class, Thread.class,
                java.nio.ByteBuffer.allocate(1).getClass())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SnapshotKryo.create(r -> r.add(bad, 100)), bad.getName());
            assertTrue(e.getMessage().contains(bad.getName()), e.getMessage());
        }
    }

    private Path write(Object root) throws Exception {
        Path file = tmp.resolve("kernel-" + System.nanoTime() + ".bin");
        FileDigest d = new GraphWriter(TestGraph.REGISTRY).write(file, root);
        assertEquals(Checksums.digest(file), d);
        return file;
    }
}
