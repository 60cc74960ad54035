package dev.jvisor.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        return pretty(m.withChecksum(checksum((ObjectNode) Json.MAPPER.readTree(unsigned))));
    }

    static Manifest decode(Path file, byte[] bytes) throws SnapshotException {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new SnapshotException(file, "is not valid JSON (" + originalMessage(e) + ")", e);
        }
        if (!(tree instanceof ObjectNode object)
                || !object.has(CHECKSUM) && !object.has("formatVersion")) {
            throw new SnapshotException(file, "is not a jvisor snapshot manifest");
        }
        JsonNode stored = object.get(CHECKSUM);
        if (stored == null || !stored.isIntegralNumber()
                || stored.longValue() != checksum(object.deepCopy())) {
            throw new SnapshotException(file, "is corrupted (checksum mismatch)");
        }
        if (!tree.path("formatVersion").isInt()) {
            throw new SnapshotException(file, "is not a valid manifest (no formatVersion)");
        }
        int version = tree.get("formatVersion").intValue();
        if (version > Manifest.FORMAT_VERSION) {
            throw new SnapshotException(file, "snapshot format " + version
                    + " is newer than this jvisor supports (" + Manifest.FORMAT_VERSION + ")");
        }
        if (version < 1) {
            throw new SnapshotException(file, "unknown snapshot format " + version);
        }
        Manifest m;
        try {
            m = Json.MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new SnapshotException(file,
                    "is not a valid manifest (" + originalMessage(e) + ")", e);
        }
        if (m.id() == null || m.parts() == null) {
            throw new SnapshotException(file, "is not a valid manifest (no id or parts)");
        }
        for (Manifest.Part p : m.parts()) {
            // Part names become paths: never let a manifest point outside its directory.
            if (p == null || p.name() == null || !PART_NAME.matcher(p.name()).matches()) {
                throw new SnapshotException(file, "lists an invalid part name: " + p);
            }
        }
        return m;
    }

    private static long checksum(ObjectNode tree) {
        tree.remove(CHECKSUM);
        try {
            byte[] compact = Json.MAPPER.writeValueAsBytes(tree);
            return Checksums.crc32c(compact, 0, compact.length);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-encode a parsed manifest", e);
        }
    }

    private static byte[] pretty(Manifest m) throws JsonProcessingException {
        return (Json.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
