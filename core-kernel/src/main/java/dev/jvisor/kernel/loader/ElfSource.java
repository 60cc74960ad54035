package dev.jvisor.kernel.loader;

import java.io.IOException;

/** Random-access read of an executable file (a host file now, a VFS file later). */
public interface ElfSource {
    /** The file's size in bytes. */
    long size();

    /**
     * Reads exactly {@code len} bytes at {@code offset} into {@code dst[dstOff..]}, or throws: a
     * {@link LoaderException} (ENOEXEC/EIO) or any other IOException, which the loader reports as EIO.
     */
    void read(long offset, byte[] dst, int dstOff, int len) throws IOException;

    /** The path shown in /proc/pid/maps and in error messages. */
    String path();
}
