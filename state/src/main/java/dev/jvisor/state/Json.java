package dev.jvisor.state;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON settings of the snapshot's text parts. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            // Sorted map keys make the manifest deterministic, which its checksum relies on.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // Fields added by later jvisor versions of the same format are ignored, not fatal.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A repeated key or anything after the document is corruption, never a valid file.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}
}
