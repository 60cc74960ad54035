package dev.jvisor.state;

import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicBooleanSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicIntegerSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.AtomicLongSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK types every snapshot may contain, at IDs 10–99 (Kryo itself holds 0–8 for String and the
 * primitives, which also covers their wrappers). Append only: these IDs are in every snapshot.
 */
final class JdkTypes implements ClassRegistry {
    static final int FIRST_ID = 10;
    static final int LAST_ID = 99;

    @Override
    public void register(Registrar r) {
        r.add(byte[].class, 10);
        r.add(char[].class, 11);
        r.add(short[].class, 12);
        r.add(int[].class, 13);
        r.add(long[].class, 14);
        r.add(float[].class, 15);
        r.add(double[].class, 16);
        r.add(boolean[].class, 17);
        r.add(String[].class, 18);
        r.add(Object[].class, 19);
        r.add(byte[][].class, 20);
        r.add(int[][].class, 21);
        r.add(long[][].class, 22);

        r.add(ArrayList.class, 30);
        r.add(LinkedList.class, 31);
        r.add(ArrayDeque.class, 32);
        r.add(HashMap.class, 33);
        r.add(LinkedHashMap.class, 34);
        r.add(TreeMap.class, 35);
        r.add(HashSet.class, 36);
        r.add(LinkedHashSet.class, 37);
        r.add(TreeSet.class, 38);
        r.add(PriorityQueue.class, 39);
        r.add(BitSet.class, 40);
        r.add(ConcurrentHashMap.class, 41);

        // List.of/Set.of/Map.of and friends are private JDK classes; Kryo has serializers for them.
        r.add(List.of().getClass(), 50);
        r.add(List.of(1).getClass(), 51);
        r.add(Set.of().getClass(), 52);
        r.add(Set.of(1).getClass(), 53);
        r.add(Map.of().getClass(), 54);
        r.add(Map.of(1, 1).getClass(), 55);
        r.add(Collections.emptyList().getClass(), 56);
        r.add(Collections.emptySet().getClass(), 57);
        r.add(Collections.emptyMap().getClass(), 58);
        r.add(Collections.singletonList(1).getClass(), 59);
        r.add(Collections.singleton(1).getClass(), 60);
        r.add(Collections.singletonMap(1, 1).getClass(), 61);
        r.add(Arrays.asList().getClass(), 62);

        // Kryo ships serializers for these but does not make them defaults.
        r.add(AtomicLong.class, 70, new AtomicLongSerializer());
        r.add(AtomicInteger.class, 71, new AtomicIntegerSerializer());
        r.add(AtomicBoolean.class, 72, new AtomicBooleanSerializer());
        r.add(UUID.class, 73, new UUIDSerializer());
        r.add(BigInteger.class, 74);
        r.add(BigDecimal.class, 75);
        r.add(Instant.class, 76);
        r.add(Duration.class, 77);
        r.add(Optional.class, 78);
    }
}
