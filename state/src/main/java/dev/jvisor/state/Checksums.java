package dev.jvisor.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C of whole files. */
final class Checksums {
    private static final int BUFFER = 1 << 20;

    private Checksums() {}

    static FileDigest digest(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        // A direct buffer lets CRC32C use its intrinsic without an extra copy.
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                size += buf.remaining();
                crc.update(buf);
                buf.clear();
            }
        }
        return new FileDigest(size, crc.getValue());
    }

    static long crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return crc.getValue();
    }

    static String hex(long crc) {
        return String.format("%08x", crc);
    }
}
