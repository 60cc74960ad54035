package dev.jvisor.platform;

import com.sun.jna.Pointer;
import dev.jvisor.platform.host.Libc;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's memory file: one sparse memfd holding all application memory, mapped once into the
 * Sentry and range by range into the stubs. The allocation map is plain data in the kernel graph;
 * the memfd and the Sentry's mapping are host resources, rebuilt by {@link #attach()} after restore.
 */
public final class MemoryFile {
    /** Default capacity: the most memory a sandbox can populate. Sparse, so it costs nothing up front. */
    public static final long DEFAULT_CAPACITY = 64L << 30;

    private final PageAllocator allocator;
    /** Host resources; {@code base == 0} means not attached (also right after a restore). */
    private transient int fd = -1;
    private transient long base;
    /** Set while a checkpoint streams pages behind the running sandbox, or a restore loads them; see {@link MemoryGuard}. */
    private transient volatile MemoryGuard guard;
    /** Frees the guard held back: their pages still belong to a snapshot being written. */
    private transient List<long[]> deferredFrees;
    /** Users of the mapping that {@link #close} must wait for (a checkpoint streaming pages, a restore loading them). */
    private transient int leases;

    private MemoryFile(PageAllocator allocator) {
        this.allocator = allocator;
    }

    /** Creates and maps a new, empty memory file. */
    public static MemoryFile create(long capacity) {
        MemoryFile f = new MemoryFile(new PageAllocator(capacity));
        f.attach();
        return f;
    }

    /** Creates a fresh memfd and maps it (for a new file or one just restored from a snapshot). */
    public void attach() {
        if (base != 0) {
            return;
        }
        int newFd = (int) Libc.memfdCreate("jvisor-memory", Libc.MFD_CLOEXEC);
        Libc.check(Libc.ftruncate(newFd, allocator.capacity()), "ftruncate memory file");
        long addr = Libc.mmap(0, allocator.capacity(), Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_SHARED | Libc.MAP_NORESERVE, newFd, 0);
        Libc.check(addr, "mmap memory file");
        fd = newFd;
        base = addr;
    }

    public synchronized void close() {
        boolean interrupted = false;
        while (leases > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (base != 0) {
            Libc.munmap(base, allocator.capacity());
            Libc.close(fd);
            fd = -1;
            base = 0;
        }
    }

    public int fd() {
        return fd;
    }

    public PageAllocator allocator() {
        return allocator;
    }

    /** Allocates page-aligned bytes; returns -1 when the sandbox's memory is exhausted. */
    public long allocate(long len) {
        return allocator.allocate(len);
    }

    /**
     * Gives a range's pages back to the host, then frees it: in that order, because once freed the
     * range may be handed to another task thread at once, and a later hole would wipe its data.
     */
    public void free(long offset, long len) {
        MemoryGuard g = guard;
        if (g != null && g.holdFree(offset, len)) {
            synchronized (this) {
                if (guard == g) {
                    deferredFrees.add(new long[] {offset, len});
                    return;
                }
            }
        }
        Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, offset, len);
        allocator.free(offset, len);
    }

    /** The address of {@code offset} in the Sentry's own mapping, for reading {@code len} bytes there. */
    public long readableAddress(long offset, long len) {
        beforeRead(offset, len);
        return base + offset;
    }

    /** The address of {@code offset} in the Sentry's own mapping, for modifying {@code len} bytes there. */
    public long writableAddress(long offset, long len) {
        beforeWrite(offset, len);
        return base + offset;
    }

    private void beforeRead(long offset, long len) {
        MemoryGuard g = guard;
        if (g != null) {
            g.beforeRead(offset, len);
        }
    }

    private void beforeWrite(long offset, long len) {
        MemoryGuard g = guard;
        if (g != null) {
            g.beforeWrite(offset, len);
        }
    }

    /** The guard of a running checkpoint or lazy restore, or null. */
    public MemoryGuard guard() {
        return guard;
    }

    /** Starts guarding the file (one guard at a time). */
    public synchronized void setGuard(MemoryGuard g) {
        if (guard != null) {
            throw new IllegalStateException("the memory file is already guarded");
        }
        deferredFrees = new ArrayList<>();
        guard = g;
    }

    /** Ends the guard: the frees it held back happen now. */
    public void clearGuard() {
        List<long[]> frees;
        synchronized (this) {
            guard = null;
            frees = deferredFrees;
            deferredFrees = null;
        }
        if (frees != null) {
            for (long[] f : frees) {
                free(f[0], f[1]);
            }
        }
    }

    /** Copies {@code len} bytes at {@code offset} to host address {@code dst} without touching holes. */
    public void readTo(long offset, long dst, long len) {
        beforeRead(offset, len);
        for (long done = 0; done < len; ) {
            long n = Libc.pread(fd, dst + done, len - done, offset + done);
            if (n <= 0) {
                throw new IllegalStateException("pread of the memory file failed: " + n);
            }
            done += n;
        }
    }

    /**
     * Writes the remaining bytes of direct buffer {@code src} at {@code offset} with pwrite (filling
     * fresh memory this way costs about half what faulting it in through the mapping does here),
     * without asking the guard: for the guard of a lazy restore itself, filling pages nobody may
     * see yet.
     */
    public void load(long offset, java.nio.ByteBuffer src) {
        long addr = Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(src)) + src.position();
        for (long done = 0; done < src.remaining(); ) {
            long n = Libc.pwrite(fd, addr + done, src.remaining() - done, offset + done);
            if (n <= 0) {
                throw new IllegalStateException("pwrite to the memory file failed: " + n);
            }
            done += n;
        }
        src.position(src.limit());
    }

    /** Keeps the mapping alive until {@link #unlease}: {@link #close} waits. */
    public synchronized void lease() {
        if (base == 0) {
            throw new IllegalStateException("the memory file is closed");
        }
        leases++;
    }

    public synchronized void unlease() {
        leases--;
        notifyAll();
    }

    /** A direct buffer over {@code len} bytes at {@code offset} of the Sentry's mapping (no copy). */
    public java.nio.ByteBuffer view(long offset, int len) {
        beforeRead(offset, len);
        return new Pointer(base + offset).getByteBuffer(0, len);
    }

    public void read(long offset, byte[] dst, int dstOff, int len) {
        beforeRead(offset, len);
        new Pointer(base + offset).read(0, dst, dstOff, len);
    }

    public void write(long offset, byte[] src, int srcOff, int len) {
        beforeWrite(offset, len);
        new Pointer(base + offset).write(0, src, srcOff, len);
    }

    public void zero(long offset, long len) {
        beforeWrite(offset, len);
        new Pointer(base + offset).setMemory(0, len, (byte) 0);
    }

    public void copy(long fromOffset, long toOffset, long len) {
        beforeRead(fromOffset, len);
        beforeWrite(toOffset, len);
        Pointer src = new Pointer(base + fromOffset);
        Pointer dst = new Pointer(base + toOffset);
        byte[] buf = new byte[(int) Math.min(len, 1 << 20)];
        for (long done = 0; done < len; ) {
            int n = (int) Math.min(buf.length, len - done);
            src.read(done, buf, 0, n);
            dst.write(done, buf, 0, n);
            done += n;
        }
    }

    /** Ranges of the file that hold data (not holes), as {offset, length} pairs. */
    public List<long[]> populatedRanges() {
        List<long[]> out = new ArrayList<>();
        long end = allocator.highWater();
        long pos = 0;
        while (pos < end) {
            long data = Libc.lseek(fd, pos, Libc.SEEK_DATA);
            if (data < 0 || data >= end) {
                break;
            }
            long hole = Libc.lseek(fd, data, Libc.SEEK_HOLE);
            if (hole < 0 || hole > end) {
                hole = end;
            }
            out.add(new long[] {data, hole - data});
            pos = hole;
        }
        return out;
    }
}
