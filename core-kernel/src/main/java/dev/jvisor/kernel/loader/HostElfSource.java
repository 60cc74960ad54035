package dev.jvisor.kernel.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An {@link ElfSource} backed by a file of the host, read with positional reads. */
public final class HostElfSource implements ElfSource, AutoCloseable {
    private final FileChannel channel;
    private final String path;
    private final long size;

    private HostElfSource(FileChannel channel, String path, long size) {
        this.channel = channel;
        this.path = path;
        this.size = size;
    }

    /** Opens {@code file} for reading; a missing file gives ENOENT, an unreadable one EACCES. */
    public static HostElfSource open(Path file) throws LoaderException {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            return new HostElfSource(ch, file.toString(), ch.size());
        } catch (NoSuchFileException e) {
            throw new LoaderException(LoaderException.ENOENT, file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new LoaderException(LoaderException.EACCES, file + ": permission denied", e);
        } catch (IOException e) {
            throw new LoaderException(LoaderException.EIO, file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) throws LoaderException {
        ByteBuffer buf = ByteBuffer.wrap(dst, dstOff, len);
        try {
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new LoaderException(LoaderException.EIO,
                            path + ": short read of " + len + " bytes at offset " + offset);
                }
                pos += n;
            }
        } catch (LoaderException e) {
            throw e;
        } catch (IOException e) {
            throw new LoaderException(LoaderException.EIO, path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
