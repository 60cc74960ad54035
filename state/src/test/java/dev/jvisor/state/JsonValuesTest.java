package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Manifests written before the streaming reader took their checksum over data binding's compact
 * form of the document read as a tree; the streaming form must be byte for byte the same.
 */
class JsonValuesTest {
    @Test
    void compactFormIsDataBindingsTreeForm() throws Exception {
        String doc = "{\n  \"b\" : 1, \"a\" : [ 2147483647, 2147483648, -9223372036854775808, 99999999999999999999 ],\n"
                + "  \"s\" : \"\\u00e9t\\u00e9 \\\"q\\\" \\\\ \\n \\u0001 \\ud83d\\ude00 </\",\n  \"n\" : null, \"t\" : true,\n"
                + "  \"f\" : false, \"d\" : [ 1.5, -0.0, 1e300, 3.0E-5 ], \"o\" : { \"z\" : { }, \"y\" : [ ] } }";
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(Json.MAPPER.writeValueAsBytes(Json.MAPPER.readTree(bytes)), JsonValues.compact(JsonValues.parse(bytes)));
    }

    @Test
    void refusesRepeatedKeysAndTrailingContent() {
        for (String bad : new String[] {"{\"a\":1,\"a\":2}", "{} {}", "[1] x", "", "{\"a\":}"}) {
            assertThrows(IllegalArgumentException.class, () -> JsonValues.parseOrRefuse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
