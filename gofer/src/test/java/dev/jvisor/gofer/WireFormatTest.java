package dev.jvisor.gofer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Encodings, limits and the small value types. */
class WireFormatTest {
    @Test
    void attrRoundTripsAndHasTheDocumentedSize() throws Exception {
        Attr a = new Attr(Attr.S_IFREG | 0644, 3, 1000, 1001, 1L << 40, 99, 4096, -2L, 0xFE00, 0x0103,
                new Timespec(-5, 1), new Timespec(1_700_000_000L, 999_999_999), new Timespec(0, 0));
        WireWriter w = WireWriter.frame();
        a.encode(w);
        ByteBuffer f = w.finish(Protocol.STAT | Protocol.REPLY, 77);
        assertEquals(Protocol.HEADER_SIZE + Attr.WIRE_SIZE, f.remaining());
        assertEquals(f.remaining() - 4, f.getInt(0));
        assertEquals(Protocol.STAT | Protocol.REPLY, f.getShort(4) & 0xFFFF);
        assertEquals(77, f.getInt(6));
        WireReader r = new WireReader(f.position(Protocol.HEADER_SIZE));
        assertEquals(a, Attr.decode(r));
        r.end();
    }

    @Test
    void readerRefusesShortPayloadsAndBadFields() {
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.allocate(3)).u32());
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.wrap(new byte[] {9, 0, 'a'})).str());
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.wrap(new byte[] {2})).bool());
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.wrap(new byte[] {-1, -1, -1, -1})).bytes());
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.allocate(1)).end());
    }

    @Test
    void exportsParseAndPrint() {
        Export e = Export.parse("root=/srv/rootfs:ro");
        assertEquals(new Export("root", Path.of("/srv/rootfs"), true), e);
        assertFalse(Export.parse("data=/srv/data").readOnly());
        Export odd = new Export("x", Path.of("/a:ro"), false);
        assertEquals(odd, Export.parse(odd.toArgument()));
        assertThrows(IllegalArgumentException.class, () -> Export.parse("=/x"));
        assertThrows(IllegalArgumentException.class, () -> Export.parse("nopath"));
        assertThrows(IllegalArgumentException.class, () -> Export.parse("rel=relative/path"));
    }

    @Test
    void errnoNamesAndStrerrorLookUp() {
        assertEquals("ENOENT", Errno.name(2));
        assertEquals(Errno.EMFILE, Errno.fromStrerror("Too many open files"));
        assertEquals(Errno.ENFILE, Errno.fromStrerror("Too many open files in system"));
        assertEquals(Errno.ELOOP, Errno.fromStrerror("Too many levels of symbolic links (NOFOLLOW_LINKS specified)"));
        assertEquals(-1, Errno.fromStrerror("something else"));
        assertEquals(Errno.EXDEV, ErrnoMapper.errno(new java.nio.file.FileSystemException("a", "b", "Invalid cross-device link")));
        assertEquals(Errno.EIO, ErrnoMapper.errno(new java.io.IOException("???")));
        assertEquals(Errno.ENOTEMPTY, ErrnoMapper.errno(new java.nio.file.DirectoryNotEmptyException("d")));
    }

    @Test
    void ioLimitIsAPowerOfTwoBelowTheFrameLimit() {
        int io = Protocol.maxIo(Protocol.MAX_FRAME);
        assertEquals(2 << 20, io);
        assertTrue(Protocol.maxIo(Protocol.MIN_FRAME) + 64 <= Protocol.MIN_FRAME);
    }
}
