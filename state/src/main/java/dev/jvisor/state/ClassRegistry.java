package dev.jvisor.state;

/**
 * The one place where a program assigns Kryo registration IDs to the classes of its snapshot
 * graph. The IDs are written into every snapshot, so an ID, once released, must never be reused
 * for another class; removing a class retires its ID. Caller IDs start at
 * {@link SnapshotKryo#FIRST_CALLER_ID}; the IDs below belong to this module (see {@link
 * SnapshotKryo}).
 */
@FunctionalInterface
public interface ClassRegistry {
    void register(Registrar registrar);
}
