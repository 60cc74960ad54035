package dev.jvisor.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Stands in for a registered class's default serializer until the class is first written or read.
 * Building a field serializer reflects over every field of the class; a snapshot graph uses a few
 * hundred of the registered classes at most, and a cold JVM building all of them up front spent
 * most of a restore's graph loading (and of a checkpoint's pause) on it.
 */
final class DeferredSerializer<T> extends Serializer<T> {
    private final Kryo kryo;
    private final Class<T> type;
    private Serializer<T> real;

    DeferredSerializer(Kryo kryo, Class<T> type) {
        this.kryo = kryo;
        this.type = type;
    }

    @SuppressWarnings("unchecked")
    private Serializer<T> real() {
        // A Kryo instance is confined to one thread, and so is this serializer.
        if (real == null) {
            real = kryo.getDefaultSerializer(type);
        }
        return real;
    }

    @Override
    public void write(Kryo k, Output output, T object) {
        real().write(k, output, object);
    }

    @Override
    public T read(Kryo k, Input input, Class<? extends T> t) {
        return real().read(k, input, t);
    }

    @Override
    public T copy(Kryo k, T original) {
        return real().copy(k, original);
    }

    @Override
    public boolean getAcceptsNull() {
        return real().getAcceptsNull();
    }

    @Override
    public void setAcceptsNull(boolean acceptsNull) {
        real().setAcceptsNull(acceptsNull);
    }

    @Override
    public boolean isImmutable() {
        return real().isImmutable();
    }

    @Override
    public void setImmutable(boolean immutable) {
        real().setImmutable(immutable);
    }
}
