package dev.jvisor.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.nio.Buffer;
import java.util.EnumMap;
import java.util.concurrent.locks.Lock;
import org.objenesis.instantiator.sun.UnsafeFactoryInstantiator;
import org.objenesis.strategy.SingleInstantiatorStrategy;

/**
 * Builds the Kryo instance that reads and writes snapshot graphs. A Kryo is not thread-safe: build
 * one per graph and use it on one thread at a time ({@link PreparedKryo} hands one over).
 *
 * <p>Configuration: references on (the kernel graph is full of cycles and shared objects),
 * registration required (a snapshot names classes by ID, never by class name), {@link
 * CompatibleFieldSerializer} by default (fields are matched by name, so they can be added and
 * removed across versions), enums written by constant name, and objects created without calling
 * a constructor when there is no no-arg one.
 *
 * <p>Registration IDs: 0–8 are Kryo's own (String and the primitives, with their wrappers),
 * 10–99 are the JDK types this module registers (arrays of primitives, String[], Object[], the
 * java.util collections, List.of/Set.of/Map.of, BitSet, AtomicLong/AtomicInteger/AtomicBoolean,
 * UUID, BigInteger, BigDecimal, Instant, Duration, Optional), and the caller's {@link
 * ClassRegistry} uses {@value #FIRST_CALLER_ID} and up. A duplicate ID or a class registered twice
 * throws {@link IllegalStateException} here, at setup, not at checkpoint time.
 *
 * <p>What must stay out of a snapshot graph (mark such fields {@code transient} and rebuild them
 * after restore):
 * <ul>
 *   <li>host resources: threads, locks ({@code ReentrantLock}…), {@code ByteBuffer}s and other NIO
 *       buffers, channels, file descriptors — Kryo cannot even build a serializer for the JDK
 *       ones on Java 17, since their fields are encapsulated;
 *   <li>{@code Collections.unmodifiable*}/{@code synchronized*}/{@code checked*} wrappers and
 *       {@code EnumMap}: they serialize, but fail on restore (Kryo rebuilds collections through
 *       {@code add}/{@code put}, and cannot reach EnumMap's key type). Copy into a plain
 *       collection or use {@code List.of}/{@code Map.of}.
 * </ul>
 * The registrar refuses these types unless the caller supplies its own serializer.
 *
 * <p>A field added in a later version is absent from older snapshots: it keeps the value the
 * no-arg constructor gives it, or zero/null when the class has no such constructor (Objenesis
 * then creates the object without running any constructor or field initializer).
 *
 * <p>Records are serialized by Kryo's {@code RecordSerializer}: component values in a fixed order
 * without names, so a record's components cannot change across versions. Use classes for state
 * that may evolve.
 */
public final class SnapshotKryo {
    /** The lowest registration ID a caller's {@link ClassRegistry} may use. */
    public static final int FIRST_CALLER_ID = 100;

    // Kryo writes ID + 2 as a varint, so the largest usable ID is two less than the int range.
    private static final int LAST_ID = Integer.MAX_VALUE - 2;

    private SnapshotKryo() {}

    /** A Kryo with this module's JDK registrations followed by {@code registry}'s. */
    public static Kryo create(ClassRegistry registry) {
        Kryo kryo = new Kryo();
        kryo.setReferences(true);
        kryo.setRegistrationRequired(true);
        kryo.setDefaultSerializer(CompatibleFieldSerializer.class);
        // By name, not ordinal, so that enum constants can be added and reordered.
        kryo.addDefaultSerializer(Enum.class, EnumNameSerializer.class);
        // Without a no-arg constructor, Unsafe.allocateInstance: Objenesis's default on HotSpot
        // generates a constructor-accessor class per type, which cost a restore tens of ms.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(
                new SingleInstantiatorStrategy(UnsafeFactoryInstantiator.class)));
        new JdkTypes().register(new CheckedRegistrar(kryo, JdkTypes.FIRST_ID, JdkTypes.LAST_ID));
        registry.register(new CheckedRegistrar(kryo, FIRST_CALLER_ID, LAST_ID));
        return kryo;
    }

    /** Registers into a Kryo, refusing what Kryo itself would silently accept and regret. */
    private record CheckedRegistrar(Kryo kryo, int minId, int maxId) implements Registrar {
        @Override
        public void add(Class<?> type, int id) {
            String problem = unsupported(type);
            if (problem != null) {
                throw new IllegalArgumentException(
                        "cannot register " + type.getName() + " for snapshots: " + problem);
            }
            check(type, id);
            kryo.register(type, new DeferredSerializer<>(kryo, type), id);
        }

        @Override
        public void add(Class<?> type, int id, Serializer<?> serializer) {
            check(type, id);
            kryo.register(type, serializer, id);
        }

        private void check(Class<?> type, int id) {
            if (id < minId || id > maxId) {
                throw new IllegalStateException("registration ID " + id + " for " + type.getName()
                        + " is outside the range " + minId + ".." + maxId);
            }
            // Kryo's register() silently replaces an earlier registration; in a snapshot format
            // that would mean a snapshot that reads back as the wrong classes.
            Registration byId = kryo.getClassResolver().getRegistration(id);
            if (byId != null) {
                throw new IllegalStateException("registration ID " + id + " is used by both "
                        + byId.getType().getName() + " and " + type.getName());
            }
            Registration byType = kryo.getClassResolver().getRegistration(type);
            if (byType != null) {
                throw new IllegalStateException(type.getName() + " is registered twice (IDs "
                        + byType.getId() + " and " + id + ")");
            }
        }

        private static String unsupported(Class<?> type) {
            String name = type.getName();
            if (name.startsWith("java.util.Collections$Unmodifiable")
                    || name.startsWith("java.util.Collections$Synchronized")
                    || name.startsWith("java.util.Collections$Checked")) {
                return "collection wrappers serialize but cannot be restored; copy into a plain"
                        + " collection or use List.of/Set.of/Map.of";
            }
            if (EnumMap.class.isAssignableFrom(type)) {
                return "EnumMap cannot be restored on Java 17; use a HashMap or an array indexed"
                        + " by ordinal";
            }
            if (Thread.class.isAssignableFrom(type) || Lock.class.isAssignableFrom(type)
                    || Buffer.class.isAssignableFrom(type)) {
                return "host resources are not snapshot state; make the field transient and"
                        + " rebuild it after restore";
            }
            return null;
        }
    }
}
