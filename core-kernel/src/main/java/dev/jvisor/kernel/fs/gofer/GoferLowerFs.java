package dev.jvisor.kernel.fs.gofer;

import dev.jvisor.gofer.Attr;
import dev.jvisor.gofer.GoferClient;
import dev.jvisor.gofer.GoferException;
import dev.jvisor.gofer.Timespec;
import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.fs.overlay.LowerFs;
import dev.jvisor.kernel.vfs.DirEntry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The root file system's read-only lower layer, served by the gofer through the same {@link
 * GoferSession} bind mounts use: walked fids and open readers are cached (and bounded), and a broken
 * gofer gives the app EIO and the log one line.
 */
public final class GoferLowerFs implements LowerFs {
    private final GoferSession session;

    /** Attaches to {@code export}; {@code log} receives one line the first time the gofer fails. */
    public GoferLowerFs(GoferClient client, String export, Consumer<String> log) {
        try {
            this.session = GoferSession.attach(client, export, "the root file system", log);
        } catch (GoferException e) {
            log.accept("gofer failed (" + e.getMessage() + "); the root file system is unavailable");
            throw new SyscallException(e.errno() > 0 ? e.errno() : Errno.EIO);
        }
    }

    @Override
    public LowerAttr stat(String path) {
        Attr a = session.statPath(path);
        return a == null ? null : new LowerAttr(a.ino(), a.mode(), a.uid(), a.gid(), a.size(), nanos(a.atime()),
                nanos(a.mtime()), nanos(a.ctime()), (int) a.nlink(), a.rdev(), a.blocks());
    }

    private static long nanos(Timespec t) {
        return t.sec() * 1_000_000_000L + t.nsec();
    }

    @Override
    public List<DirEntry> list(String path) {
        return session.list(path);
    }

    @Override
    public String readlink(String path) {
        return session.readlink(path);
    }

    @Override
    public int read(String path, long off, byte[] dst, int dstOff, int len) {
        // The lower layer never changes under a running sandbox: its readers are keyed by path.
        return session.read(session.reader(path, path), off, ByteBuffer.wrap(dst, dstOff, len));
    }
}
