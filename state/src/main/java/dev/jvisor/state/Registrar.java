package dev.jvisor.state;

import com.esotericsoftware.kryo.Serializer;

/**
 * Receives the registrations of a {@link ClassRegistry}. Both methods throw
 * {@link IllegalStateException} when the ID or the class is already registered or the ID is
 * outside the caller's range, and {@link IllegalArgumentException} for JDK types that Kryo cannot
 * restore on Java 17.
 */
public interface Registrar {
    /** Registers {@code type} with the default serializer ({@code CompatibleFieldSerializer}). */
    void add(Class<?> type, int id);

    /** Registers {@code type} with a serializer of the caller's choosing. */
    void add(Class<?> type, int id, Serializer<?> serializer);
}
