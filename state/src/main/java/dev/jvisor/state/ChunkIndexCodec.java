package dev.jvisor.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code pages.index.json} with Jackson's streaming parser. The index is the first thing a
 * restore needs (every chunk is checked before the app runs, and checking starts as soon as the
 * index is known); data binding's first use costs a cold JVM about 150 ms, streaming a few ms.
 * The rules are data binding's with {@link Json#MAPPER}'s settings: unknown fields are skipped, a
 * repeated key or anything after the document is refused, missing fields stay zero or null (which
 * {@link ChunkIndex#validate} refuses).
 */
final class ChunkIndexCodec {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ChunkIndexCodec() {}

    /** @throws JsonProcessingException if {@code json} is not a chunk index */
    static ChunkIndex decode(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            ChunkIndex index = index(p);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing token after the index: " + p.currentToken());
            }
            return index;
        }
    }

    private static ChunkIndex index(JsonParser p) throws IOException {
        expect(p, p.nextToken(), JsonToken.START_OBJECT);
        int pageSize = 0;
        int chunkSize = 0;
        int level = 0;
        int alignment = 0;
        Compression compression = null;
        List<Chunk> chunks = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "pageSize" -> pageSize = p.getIntValue();
                case "chunkSize" -> chunkSize = p.getIntValue();
                case "level" -> level = p.getIntValue();
                case "alignment" -> alignment = p.getIntValue();
                case "compression" -> compression = value == JsonToken.VALUE_NULL ? null : compression(p);
                case "chunks" -> chunks = value == JsonToken.VALUE_NULL ? null : chunks(p);
                default -> p.skipChildren();
            }
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT);
        return new ChunkIndex(pageSize, chunkSize, compression, level, chunks, alignment);
    }

    private static Compression compression(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.VALUE_STRING);
        try {
            return Compression.valueOf(p.getText());
        } catch (IllegalArgumentException e) {
            throw new JsonParseException(p, "unknown compression " + p.getText());
        }
    }

    private static List<Chunk> chunks(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<Chunk> chunks = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            chunks.add(chunk(p));
        }
        return chunks;
    }

    private static Chunk chunk(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        long offset = 0;
        long fileOffset = 0;
        long crc32c = 0;
        int rawLength = 0;
        int compressedLength = 0;
        int[] runs = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "offset" -> offset = p.getLongValue();
                case "fileOffset" -> fileOffset = p.getLongValue();
                case "crc32c" -> crc32c = p.getLongValue();
                case "rawLength" -> rawLength = p.getIntValue();
                case "compressedLength" -> compressedLength = p.getIntValue();
                case "runs" -> runs = value == JsonToken.VALUE_NULL ? null : ints(p);
                default -> p.skipChildren();
            }
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT);
        return new Chunk(offset, runs, rawLength, compressedLength, fileOffset, crc32c);
    }

    private static int[] ints(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        int[] out = new int[8];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = p.getIntValue();
        }
        return Arrays.copyOf(out, n);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new JsonParseException(p, "expected " + wanted + ", found " + actual);
        }
    }
}
