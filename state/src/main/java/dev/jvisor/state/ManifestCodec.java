package dev.jvisor.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Encodes and checks {@code manifest.json}. The checksum is taken over the parsed JSON re-emitted
 * compactly, so that the manifest stays an ordinary pretty-printed JSON file while any change to a
 * value, key or structure is detected.
 */
final class ManifestCodec {
    private static final String CHECKSUM = "manifestCrc32c";
    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private ManifestCodec() {}

    static byte[] encode(Manifest m) throws IOException {
        byte[] unsigned = pretty(m.withChecksum(null));
        return pretty(m.withChecksum(checksum(JsonObject.of(JsonValues.parse(unsigned), "manifest"))));
    }

    /**
     * Reads and checks a manifest through {@link JsonValues} rather than data binding: it is on
     * the path of every restore, and data binding's first use costs a cold JVM more than the rest
     * of reading a small snapshot.
     */
    static Manifest decode(Path file, byte[] bytes) throws SnapshotException {
        Object doc;
        try {
            doc = JsonValues.parseOrRefuse(bytes);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(file, "is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(doc instanceof Map)) {
            throw new SnapshotException(file, "is not a jvisor snapshot manifest");
        }
        JsonObject object = JsonObject.of(doc, "manifest");
        if (!object.has(CHECKSUM) && !object.has("formatVersion")) {
            throw new SnapshotException(file, "is not a jvisor snapshot manifest");
        }
        Object stored = object.raw(CHECKSUM);
        if (!(stored instanceof Integer || stored instanceof Long)
                || ((Number) stored).longValue() != checksum(object)) {
            throw new SnapshotException(file, "is corrupted (checksum mismatch)");
        }
        if (!(object.raw("formatVersion") instanceof Integer version)) {
            throw new SnapshotException(file, "is not a valid manifest (no formatVersion)");
        }
        if (version > Manifest.FORMAT_VERSION) {
            throw new SnapshotException(file, "snapshot format " + version
                    + " is newer than this jvisor supports (" + Manifest.FORMAT_VERSION + ")");
        }
        if (version < 1) {
            throw new SnapshotException(file, "unknown snapshot format " + version);
        }
        Manifest m;
        try {
            m = manifest(object);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(file, "is not a valid manifest (" + e.getMessage() + ")", e);
        }
        if (m.id() == null || m.parts() == null) {
            throw new SnapshotException(file, "is not a valid manifest (no id or parts)");
        }
        for (Manifest.Part p : m.parts()) {
            // Part names become paths: never let a manifest point outside its directory.
            if (p.name() == null || !PART_NAME.matcher(p.name()).matches()) {
                throw new SnapshotException(file, "lists an invalid part name: " + p);
            }
        }
        return m;
    }

    private static Manifest manifest(JsonObject o) {
        return new Manifest(o.integer("formatVersion"), o.string("id"), o.string("parentId"),
                o.string("jvisorVersion"), o.string("createdAt"), o.map("cpuFeatures", JsonObject::stringValue),
                o.map("summary", v -> v), o.list("mounts", ManifestCodec::mount), o.list("files", ManifestCodec::file),
                o.list("parts", ManifestCodec::part), o.optionalLong(CHECKSUM));
    }

    private static Manifest.MountEntry mount(Object value) {
        JsonObject o = JsonObject.of(value, "mount");
        return new Manifest.MountEntry(o.string("destination"), o.string("type"), o.string("source"), o.bool("readOnly"));
    }

    private static Manifest.HeldFile file(Object value) {
        JsonObject o = JsonObject.of(value, "file");
        return new Manifest.HeldFile(o.string("path"), o.string("hostPath"), o.longValue("ino"), o.longValue("size"),
                o.longValue("mtimeNs"));
    }

    private static Manifest.Part part(Object value) {
        JsonObject o = JsonObject.of(value, "part");
        return new Manifest.Part(o.string("name"), o.longValue("size"), o.longValue("crc32c"));
    }

    /** CRC32C of the manifest re-emitted compactly without its checksum field. */
    private static long checksum(JsonObject manifest) {
        try {
            byte[] compact = JsonValues.compact(manifest.without(CHECKSUM));
            return Checksums.crc32c(compact, 0, compact.length);
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode a parsed manifest", e);
        }
    }

    private static byte[] pretty(Manifest m) throws JsonProcessingException {
        return (Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

}
