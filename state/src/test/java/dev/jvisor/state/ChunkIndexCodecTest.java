package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming index reader reads what the data-binding writer writes, under the same rules. */
class ChunkIndexCodecTest {
    private static final ChunkIndex INDEX = new ChunkIndex(4096, 1 << 22, Compression.ZSTD, 3, List.of(
            new Chunk(0, new int[] {0, 169, 183, 2}, 171 * 4096, 12345, 0, 0xfedcba98L),
            new Chunk(1 << 22, new int[] {5, 1}, 4096, 4096, 16384, 1L)), 4096);

    private static ChunkIndex decode(String json) throws Exception {
        return ChunkIndexCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatTheWriterWrites() throws Exception {
        ChunkIndex back = ChunkIndexCodec.decode(Json.MAPPER.writeValueAsBytes(INDEX));
        assertEquals(INDEX.pageSize(), back.pageSize());
        assertEquals(INDEX.chunkSize(), back.chunkSize());
        assertEquals(INDEX.compression(), back.compression());
        assertEquals(INDEX.level(), back.level());
        assertEquals(INDEX.alignment(), back.alignment());
        assertEquals(INDEX.chunks().size(), back.chunks().size());
        for (int i = 0; i < INDEX.chunks().size(); i++) {
            Chunk a = INDEX.chunks().get(i);
            Chunk b = back.chunks().get(i);
            assertEquals(List.of(a.offset(), a.rawLength(), a.compressedLength(), a.fileOffset(), a.crc32c()),
                    List.of(b.offset(), b.rawLength(), b.compressedLength(), b.fileOffset(), b.crc32c()));
            assertArrayEquals(a.runs(), b.runs());
        }
    }

    @Test
    void skipsUnknownFieldsAndLeavesMissingOnesZero() throws Exception {
        ChunkIndex i = decode("{\"future\":{\"x\":[1,{\"y\":2}]},\"pageSize\":4096,\"chunks\":[{\"offset\":8,\"new\":[1]}]}");
        assertEquals(4096, i.pageSize());
        assertEquals(0, i.alignment());
        assertNull(i.compression());
        assertEquals(8, i.chunks().get(0).offset());
        assertNull(i.chunks().get(0).runs());
    }

    @Test
    void refusesWhatIsNotAnIndex() {
        for (String bad : new String[] {"", "[]", "{\"pageSize\":1,\"pageSize\":2}", "{} {}", "{\"pageSize\":\"x\"}",
                "{\"compression\":\"LZMA\"}", "{\"chunks\":{}}", "{\"chunks\":[{\"runs\":[\"a\"]}]}",
                "{\"chunkSize\":99999999999}", "{\"chunks\":[1]}", "{\"pageSize\":4096"}) {
            assertThrows(IllegalArgumentException.class, () -> decode(bad), bad);
        }
    }
}
