package dev.jvisor.state;

import java.util.List;

/**
 * Reads {@code pages.index.json} through {@link JsonValues}: the index is the first thing a restore
 * needs (every chunk is checked before the app runs, starting as soon as the index is known). It
 * is written with data binding ({@link Json#MAPPER}); unknown fields are skipped and missing ones
 * stay zero or null, which {@link ChunkIndex#validate} refuses.
 */
final class ChunkIndexCodec {
    private ChunkIndexCodec() {}

    /** @throws IllegalArgumentException naming the problem if {@code json} is not a chunk index */
    static ChunkIndex decode(byte[] json) {
        Object doc = JsonValues.parseOrRefuse(json);
        JsonObject o = JsonObject.of(doc, "index");
        String compression = o.string("compression");
        return new ChunkIndex(o.integer("pageSize"), o.integer("chunkSize"),
                compression == null ? null : Compression.valueOf(compression), o.integer("level"),
                o.list("chunks", ChunkIndexCodec::chunk), o.integer("alignment"));
    }

    private static Chunk chunk(Object value) {
        JsonObject c = JsonObject.of(value, "chunk");
        List<Integer> runs = c.list("runs", JsonObject::intElement);
        return new Chunk(c.longValue("offset"), runs == null ? null : runs.stream().mapToInt(Integer::intValue).toArray(),
                c.integer("rawLength"), c.integer("compressedLength"), c.longValue("fileOffset"), c.longValue("crc32c"));
    }
}
