package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * What an opened fid holds: its flags and, for a regular file, the host channel. An opened
 * directory holds no host handle; it keeps the listing READDIR's cookies index into.
 */
final class OpenFile {
    final int flags;
    /** Null for a directory. */
    final FileChannel channel;
    /** The listing taken by the last READDIR at cookie 0; null until then. */
    List<String> listing;

    private OpenFile(int flags, FileChannel channel) {
        this.flags = flags;
        this.channel = channel;
    }

    static OpenFile file(int flags, FileChannel channel) {
        return new OpenFile(flags, channel);
    }

    static OpenFile directory(int flags) {
        return new OpenFile(flags, null);
    }

    boolean isDirectory() {
        return channel == null;
    }

    boolean append() {
        return (flags & OpenFlags.O_APPEND) != 0;
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
