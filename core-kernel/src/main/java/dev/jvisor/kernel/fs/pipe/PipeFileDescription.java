package dev.jvisor.kernel.fs.pipe;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.WaitQueue;

/**
 * One open end of a pipe or FIFO. Reads and writes follow {@link Pipe}; there is no offset (lseek,
 * pread and pwrite are ESPIPE). For a FIFO, {@link #location} is where it was opened; an anonymous
 * pipe has none and /proc shows it as {@code pipe:[ino]}.
 */
public final class PipeFileDescription extends FileDescription {
    private static final long FIONREAD = 0x541b, FIONBIO = 0x5421;
    private final Pipe pipe;
    private final Inode inode;
    private final Location location;
    private final boolean reader;
    private final boolean writer;
    /** Linux's f_pipe: the writer-open count before which this open reports no POLLHUP. */
    private final int hupMark;
    private boolean released;

    PipeFileDescription(Pipe pipe, Inode inode, Location location, int flags, int hupMark) {
        super(flags);
        this.pipe = pipe;
        this.inode = inode;
        this.location = location;
        this.reader = FileMode.readable(flags);
        this.writer = FileMode.writable(flags);
        this.hupMark = hupMark;
    }

    /** The two ends of a new anonymous pipe (pipe(2)); {@code flags} may hold O_NONBLOCK. */
    public static PipeFileDescription[] newPipe(Task t, PipeFs fs, int flags) {
        PipeInode in = fs.newPipe(t);
        int status = flags & FileMode.O_NONBLOCK;
        return new PipeFileDescription[] {
            new PipeFileDescription(in.pipe(), in, null, FileMode.O_RDONLY | status, 0),
            new PipeFileDescription(in.pipe(), in, null, FileMode.O_WRONLY | status, 0)
        };
    }

    /** open(2) of a FIFO (or reopen of a pipe through /proc): waits for the other end as Linux does. */
    public static PipeFileDescription open(Task t, Pipe pipe, Inode inode, Location location, int flags) {
        boolean r = FileMode.readable(flags);
        boolean w = FileMode.writable(flags);
        if (!r && !w) {
            throw new SyscallException(Errno.EINVAL);
        }
        int mark = pipe.open(r, w, (flags & FileMode.O_NONBLOCK) != 0, waiter(t, pipe));
        return new PipeFileDescription(pipe, inode, location, flags, mark);
    }

    static Pipe.Waiter waiter(Task t, Pipe pipe) {
        return (lock, ready) -> pipe.queue().await(t, lock, ready);
    }

    public Pipe pipe() {
        return pipe;
    }

    public Inode inode() {
        return inode;
    }

    public boolean isReader() {
        return reader;
    }

    public boolean isWriter() {
        return writer;
    }

    private boolean nonblock() {
        return (flags & FileMode.O_NONBLOCK) != 0;
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public long read(Task t, long addr, long len) {
        return read(t, addr, len, false);
    }

    /** read(2), or with {@code nowait} (RWF_NOWAIT) as if O_NONBLOCK were set for this call. */
    public long read(Task t, long addr, long len, boolean nowait) {
        return readExactly(t, addr, len, nowait || nonblock());
    }

    /** A read that blocks unless {@code nonblock}, whatever O_NONBLOCK says (vmsplice(2)). */
    public long readExactly(Task t, long addr, long len, boolean nonblock) {
        if (!reader) {
            throw new SyscallException(Errno.EBADF);
        }
        return pipe.read((at, b, off, n) -> t.mm().copyOut(addr + at, b, off, n), len, nonblock, waiter(t, pipe));
    }

    @Override
    public long write(Task t, long addr, long len) {
        return write(t, addr, len, false);
    }

    /** write(2), or with {@code nowait} (RWF_NOWAIT) as if O_NONBLOCK were set for this call. */
    public long write(Task t, long addr, long len, boolean nowait) {
        return write(t, addr, len, nowait, false);
    }

    /** {@link #write(Task, long, long, boolean)}; {@code nosignal} (RWF_NOSIGNAL): EPIPE without SIGPIPE. */
    public long write(Task t, long addr, long len, boolean nowait, boolean nosignal) {
        if (!writer) {
            throw new SyscallException(Errno.EBADF);
        }
        java.util.function.LongSupplier w = () -> pipe.write((at, b, off, n) -> t.mm().copyIn(addr + at, b, off, n),
                len, nowait || nonblock(), waiter(t, pipe));
        return nosignal ? w.getAsLong() : sigpipe(t, w);
    }

    /** Writes Sentry bytes (sendfile into a pipe); blocks like write(2). */
    public long writeBytes(Task t, byte[] src, int srcOff, int len) {
        return writeBytes(t, src, srcOff, len, false);
    }

    /** Writes Sentry bytes; {@code nonblock} (SPLICE_F_NONBLOCK) or O_NONBLOCK turn blocking into EAGAIN. */
    public long writeBytes(Task t, byte[] src, int srcOff, int len, boolean nonblock) {
        if (!writer) {
            throw new SyscallException(Errno.EBADF);
        }
        return sigpipe(t, () -> pipe.write((at, b, off, n) -> System.arraycopy(src, srcOff + (int) at, b, off, n),
                len, nonblock || nonblock(), waiter(t, pipe)));
    }

    /** Reads into Sentry bytes; blocks like read(2). */
    public long readBytes(Task t, byte[] dst, int dstOff, int len) {
        return readBytes(t, dst, dstOff, len, false);
    }

    /** Reads into Sentry bytes; {@code nonblock} (SPLICE_F_NONBLOCK) or O_NONBLOCK turn blocking into EAGAIN. */
    public long readBytes(Task t, byte[] dst, int dstOff, int len, boolean nonblock) {
        if (!reader) {
            throw new SyscallException(Errno.EBADF);
        }
        return pipe.read((at, b, off, n) -> System.arraycopy(b, off, dst, dstOff + (int) at, n), len,
                nonblock || nonblock(), waiter(t, pipe));
    }

    /** pipe_write: a write with no reader left raises SIGPIPE as well as failing with EPIPE. */
    private static long sigpipe(Task t, java.util.function.LongSupplier write) {
        try {
            return write.getAsLong();
        } catch (SyscallException e) {
            if (e.errno == Errno.EPIPE) {
                t.raiseSignal(dev.jvisor.kernel.Signals.SIGPIPE);
            }
            throw e;
        }
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        if (request == FIONREAD) {
            t.mm().writeInt(arg, pipe.available());
            return 0;
        }
        if (request == FIONBIO) {
            boolean on = t.mm().readInt(arg) != 0;
            setFlags(on ? flags | FileMode.O_NONBLOCK : flags & ~FileMode.O_NONBLOCK);
            return 0;
        }
        return super.ioctl(t, request, arg);
    }

    @Override
    public int readiness(int mask) {
        return pipe.readiness(reader, writer, hupMark);
    }

    @Override
    public WaitQueue readinessQueue() {
        return pipe.queue();
    }

    @Override
    public byte[] stat(Task t) {
        return inode.stat(t);
    }

    @Override
    public String describe() {
        return "pipe:[" + inode.ino() + "]";
    }

    @Override
    public synchronized void release() {
        if (!released) {
            released = true;
            pipe.release(reader, writer);
        }
    }
}
