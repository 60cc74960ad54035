package dev.jvisor.gofer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sentry's stub of the gofer protocol: one method per request, typed results, failures as
 * {@link GoferException} carrying the Linux errno to give the application.
 *
 * <p>Thread-safe: calls from many task threads are serialised, one round trip at a time (the
 * server is serial anyway, so pipelining would gain nothing, and doing the I/O on the calling
 * thread spares a cross-thread hand-off per call). Every call has a deadline (the timeout given at
 * construction); if the gofer dies, stops answering or sends anything malformed, the call fails
 * with EIO and so does every later call.
 *
 * <p>READ and WRITE move at most {@link #maxIo()} bytes per call; callers loop for more.
 */
public final class GoferClient implements Closeable {
    /** Deadline of one round trip when none is given: long enough for an fsync of a big file. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final ClientConnection conn;

    /** Connects over {@code channel} (connected; it becomes non-blocking) and performs the VERSION handshake. */
    public GoferClient(SocketChannel channel) throws IOException {
        this(channel, DEFAULT_TIMEOUT);
    }

    /**
     * @param timeout deadline of each round trip, handshake included
     * @throws GoferException EPROTONOSUPPORT if the server speaks another version, EIO if it does not answer
     */
    public GoferClient(SocketChannel channel, Duration timeout) throws IOException {
        this.conn = new ClientConnection(channel, timeout);
        try {
            int maxFrame = conn.call(Protocol.VERSION_REQ,
                    WireWriter.frame().u32(Protocol.VERSION).u32(Protocol.MAX_FRAME),
                    r -> {
                        int version = r.u32();
                        long limit = Integer.toUnsignedLong(r.u32());
                        if (version != Protocol.VERSION || limit < Protocol.MIN_FRAME || limit > Protocol.MAX_FRAME) {
                            throw new ProtocolException("server answered version " + version + ", frame limit " + limit);
                        }
                        return (int) limit;
                    });
            conn.setMaxFrame(maxFrame);
        } catch (GoferException e) {
            conn.close();
            throw e;
        }
    }

    /** Largest count READ returns and WRITE accepts in one call. */
    public int maxIo() {
        return Protocol.maxIo(conn.maxFrame());
    }

    /** Whether the connection still works (false after a close, a timeout, EOF or garbage). */
    public boolean isConnected() {
        return !conn.isBroken();
    }

    /** A fid for the root of the export named {@code mountName} (ENOENT if there is none). */
    public Attached attach(String mountName) throws GoferException {
        return conn.call(Protocol.ATTACH, WireWriter.frame().str(checkedString(mountName)),
                r -> new Attached(r.u32(), r.bool(), Attr.decode(r)));
    }

    /**
     * A new fid for {@code name} in the directory {@code fid}: one component, not "", "." or ".."
     * and without '/' (EINVAL). A symlink is not followed: the new fid names the symlink.
     */
    public FidAttr walk(int fid, String name) throws GoferException {
        return conn.call(Protocol.WALK, WireWriter.frame().u32(fid).str(checkedString(name)), GoferClient::fidAttr);
    }

    /** A new, unopened fid for the same file as {@code fid}. */
    public FidAttr cloneFid(int fid) throws GoferException {
        return conn.call(Protocol.CLONE, WireWriter.frame().u32(fid), GoferClient::fidAttr);
    }

    public Attr stat(int fid) throws GoferException {
        return conn.call(Protocol.STAT, WireWriter.frame().u32(fid), Attr::decode);
    }

    /** Opens the file of {@code fid} with {@link OpenFlags}; a fid is opened at most once. */
    public void open(int fid, int flags) throws GoferException {
        conn.call(Protocol.OPEN, WireWriter.frame().u32(fid).u32(flags), r -> null);
    }

    /** Up to {@code count} (and at most {@link #maxIo()}) bytes at {@code offset}; fewer only at end of file. */
    public byte[] read(int fid, long offset, int count) throws GoferException {
        return conn.call(Protocol.READ, WireWriter.frame().u32(fid).u64(offset).u32(count), r -> {
            ByteBuffer data = r.bytes();
            byte[] b = new byte[data.remaining()];
            data.get(b);
            return b;
        });
    }

    /** Reads into {@code dst} (at most {@link #maxIo()} bytes), advancing its position; returns the count. */
    public int read(int fid, long offset, ByteBuffer dst) throws GoferException {
        int want = Math.min(dst.remaining(), maxIo());
        return conn.call(Protocol.READ, WireWriter.frame().u32(fid).u64(offset).u32(want), r -> {
            ByteBuffer data = r.bytes();
            if (data.remaining() > want) {
                throw new ProtocolException("read returned " + data.remaining() + " bytes, asked " + want);
            }
            int n = data.remaining();
            dst.put(data);
            return n;
        });
    }

    /**
     * Writes up to {@link #maxIo()} bytes of {@code src} at {@code offset} (at the end of file if
     * the fid was opened O_APPEND), advancing its position by the count written.
     */
    public int write(int fid, long offset, ByteBuffer src) throws GoferException {
        ByteBuffer chunk = src.slice();
        chunk.limit(Math.min(chunk.remaining(), maxIo()));
        int n = conn.call(Protocol.WRITE, WireWriter.frame(chunk.remaining() + 32).u32(fid).u64(offset).bytes(chunk),
                r -> r.u32());
        if (n < 0 || n > Math.min(src.remaining(), maxIo())) {
            throw new GoferException(Errno.EIO, "write: gofer reported " + n + " bytes written");
        }
        src.position(src.position() + n);
        return n;
    }

    public int write(int fid, long offset, byte[] data) throws GoferException {
        return write(fid, offset, ByteBuffer.wrap(data));
    }

    /**
     * Directory entries from {@code cookie} (0 = from the start, re-reading the directory) fitting
     * in {@code maxBytes} of reply; an empty list at the end. "." and ".." are not included.
     */
    public List<DirEntry> readdir(int fid, long cookie, int maxBytes) throws GoferException {
        return conn.call(Protocol.READDIR, WireWriter.frame().u32(fid).u64(cookie).u32(maxBytes), r -> {
            int n = r.u32();
            if (n < 0 || n > maxBytes) {
                throw new ProtocolException("readdir returned " + Integer.toUnsignedString(n) + " entries");
            }
            List<DirEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(DirEntry.decode(r));
            }
            return entries;
        });
    }

    /** The text of the symlink {@code fid} (EINVAL if it is not one). */
    public String readlink(int fid) throws GoferException {
        return conn.call(Protocol.READLINK, WireWriter.frame().u32(fid), WireReader::str);
    }

    /**
     * Creates the regular file {@code name} in {@code dirFid} exclusively (EEXIST if the name
     * exists) with exactly {@code mode} (no umask), and returns a new fid opened with {@code flags}.
     */
    public FidAttr create(int dirFid, String name, int flags, int mode) throws GoferException {
        return conn.call(Protocol.CREATE,
                WireWriter.frame().u32(dirFid).str(checkedString(name)).u32(flags).u32(mode), GoferClient::fidAttr);
    }

    public Attr mkdir(int dirFid, String name, int mode) throws GoferException {
        return conn.call(Protocol.MKDIR, WireWriter.frame().u32(dirFid).str(checkedString(name)).u32(mode), Attr::decode);
    }

    /** Creates a regular file (type S_IFREG or 0 in {@code mode}); other node types are EPERM. */
    public Attr mknod(int dirFid, String name, int mode, long rdev) throws GoferException {
        return conn.call(Protocol.MKNOD,
                WireWriter.frame().u32(dirFid).str(checkedString(name)).u32(mode).u64(rdev), Attr::decode);
    }

    /** unlink(2), or rmdir(2) if {@code isDir}; ENOTDIR/EISDIR when the kind does not match. */
    public void unlink(int dirFid, String name, boolean isDir) throws GoferException {
        conn.call(Protocol.UNLINK, WireWriter.frame().u32(dirFid).str(checkedString(name)).u8(isDir ? 1 : 0), r -> null);
    }

    /** rename(2) within one export (EXDEV across exports); fids of the moved file follow it. */
    public void rename(int oldDirFid, String oldName, int newDirFid, String newName) throws GoferException {
        conn.call(Protocol.RENAME, WireWriter.frame().u32(oldDirFid).str(checkedString(oldName))
                .u32(newDirFid).str(checkedString(newName)), r -> null);
    }

    /** A hard link {@code name} in {@code dirFid} to the file of {@code targetFid}; returns its attributes. */
    public Attr link(int targetFid, int dirFid, String name) throws GoferException {
        return conn.call(Protocol.LINK, WireWriter.frame().u32(targetFid).u32(dirFid).str(checkedString(name)), Attr::decode);
    }

    public Attr symlink(int dirFid, String name, String target) throws GoferException {
        return conn.call(Protocol.SYMLINK,
                WireWriter.frame().u32(dirFid).str(checkedString(name)).str(checkedString(target)), Attr::decode);
    }

    /** Applies {@code changes} and returns the attributes after them. */
    public Attr setattr(int fid, SetAttr changes) throws GoferException {
        WireWriter w = WireWriter.frame().u32(fid);
        changes.encode(w);
        return conn.call(Protocol.SETATTR, w, Attr::decode);
    }

    /** fsync(2) of an opened fid. */
    public void fsync(int fid) throws GoferException {
        conn.call(Protocol.FSYNC, WireWriter.frame().u32(fid), r -> null);
    }

    public StatFs statfs(int fid) throws GoferException {
        return conn.call(Protocol.STATFS, WireWriter.frame().u32(fid), StatFs::decode);
    }

    /** Forgets {@code fid}, closing it if open. */
    public void clunk(int fid) throws GoferException {
        conn.call(Protocol.CLUNK, WireWriter.frame().u32(fid), r -> null);
    }

    /** Closes the connection; the server then closes every fid. */
    @Override
    public void close() {
        conn.close();
    }

    private static FidAttr fidAttr(WireReader r) throws ProtocolException {
        return new FidAttr(r.u32(), Attr.decode(r));
    }

    /** A string the wire can carry (u16 length); anything longer is refused here, not sent. */
    private static String checkedString(String s) throws GoferException {
        if (s.length() > 0xFFFF / 3 && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new GoferException(Errno.ENAMETOOLONG, "string of more than 65535 bytes");
        }
        return s;
    }
}
