package dev.jvisor.kernel.loader;

/** An ElfSource over a byte array, for crafted test files. */
final class BytesSource implements ElfSource {
    private final byte[] data;
    private final String path;

    BytesSource(String path, byte[] data) {
        this.data = data;
        this.path = path;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) throws LoaderException {
        if (offset < 0 || offset + len > data.length) {
            throw new LoaderException(LoaderException.EIO, "short read at " + offset);
        }
        System.arraycopy(data, (int) offset, dst, dstOff, len);
    }

    @Override
    public String path() {
        return path;
    }
}
