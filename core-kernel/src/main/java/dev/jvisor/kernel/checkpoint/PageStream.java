package dev.jvisor.kernel.checkpoint;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.jvisor.platform.MemoryFile;
import dev.jvisor.platform.MemoryGuard;
import dev.jvisor.state.MemoryRange;
import dev.jvisor.state.MemorySource;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory of a checkpoint whose pages are written after the sandbox has resumed (DESIGN.md §6):
 * the memory file as it was at the pause, although the app and the Sentry keep changing it.
 *
 * <p>Memory is watched in blocks of {@link #BLOCK} bytes. A block is pending from the pause until
 * the snapshot has consumed all of its populated bytes. The first write to a pending block (a
 * Sentry write through {@link MemoryFile}, or an app write fault: the app's mappings were dropped at
 * the pause and come back read-only while pending) copies the block aside first; the stream then
 * reads the copy instead of the file. Frees are held back by the memory file meanwhile, so pages
 * the snapshot still needs are never punched out.
 */
final class PageStream implements MemoryGuard, MemorySource {
    static final int BLOCK = 64 << 10;
    /**
     * Most bytes held in copies at once: a writer that would exceed it waits until the stream has
     * consumed some, so an app rewriting all of a large memory cannot exhaust the Sentry's heap.
     */
    static final long MAX_COPIED = 256L << 20;

    private final long maxCopied;
    private final MemoryFile memory;
    private final List<MemoryRange> ranges;
    private final int chunkSize;
    /** Blocks whose pause-time content is still only in the memory file. */
    private final BitSet pending = new BitSet();
    /** Per pending-or-copied block: populated bytes the stream has not consumed yet. */
    private final Map<Long, Integer> unread = new HashMap<>();
    /** Pause-time content of blocks modified since the pause, until the stream has consumed them. */
    private final Map<Long, ByteBuffer> copies = new HashMap<>();
    private volatile int live;
    private final ThreadLocal<ByteBuffer> staging;
    private long copiedBytes;
    private long heldBytes;
    private boolean closed;

    PageStream(MemoryFile memory, List<MemoryRange> ranges, int chunkSize) {
        this(memory, ranges, chunkSize, MAX_COPIED);
    }

    PageStream(MemoryFile memory, List<MemoryRange> ranges, int chunkSize, long maxCopied) {
        this.maxCopied = maxCopied;
        this.memory = memory;
        this.ranges = ranges;
        this.chunkSize = chunkSize;
        this.staging = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(chunkSize));
        for (MemoryRange r : ranges) {
            for (long at = r.offset(); at < r.end(); ) {
                long b = at / BLOCK;
                long stop = Math.min(r.end(), (b + 1) * BLOCK);
                unread.merge(b, (int) (stop - at), Integer::sum);
                pending.set(Math.toIntExact(b));
                at = stop;
            }
        }
        live = unread.size();
    }

    @Override
    public List<MemoryRange> populatedRanges() {
        return ranges;
    }

    @Override
    public void beforeWrite(long offset, long len) {
        if (live == 0 || len <= 0) {
            return;
        }
        for (long b = offset / BLOCK; b <= (offset + len - 1) / BLOCK; b++) {
            synchronized (this) {
                while (pending.get((int) b) && heldBytes + BLOCK > maxCopied && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (pending.get((int) b) && !closed) {
                    ByteBuffer copy = ByteBuffer.allocateDirect(BLOCK);
                    // pread, not the mapping: reading a hole through a mapping would allocate it.
                    memory.readTo(b * BLOCK, Pointer.nativeValue(Native.getDirectBufferPointer(copy)), BLOCK);
                    copies.put(b, copy);
                    pending.clear((int) b);
                    copiedBytes += BLOCK;
                    heldBytes += BLOCK;
                }
            }
        }
    }

    @Override
    public void beforeRead(long offset, long len) {
        // Reading changes nothing the snapshot needs.
    }

    /** Pages the snapshot still needs must not be punched out: every free waits for the stream. */
    @Override
    public boolean holdFree(long offset, long len) {
        return true;
    }

    @Override
    public synchronized boolean pending(long offset, long len) {
        if (live == 0 || len <= 0) {
            return false;
        }
        int next = pending.nextSetBit((int) (offset / BLOCK));
        return next >= 0 && next <= (offset + len - 1) / BLOCK;
    }

    /** Copies the pause-time bytes into a per-thread buffer, block by block under the lock. */
    @Override
    public ByteBuffer view(long offset, int len) {
        if (len > chunkSize) {
            throw new IllegalArgumentException("view of " + len + " bytes exceeds the chunk size");
        }
        ByteBuffer out = staging.get().clear().limit(len);
        for (long at = offset; at < offset + len; ) {
            long b = at / BLOCK;
            int n = (int) (Math.min(offset + len, (b + 1) * BLOCK) - at);
            synchronized (this) {
                ByteBuffer copy = copies.get(b);
                ByteBuffer src = copy != null ? copy.slice((int) (at - b * BLOCK), n) : memory.view(at, n);
                out.put((int) (at - offset), src, 0, n);
            }
            at += n;
        }
        return out;
    }

    /** The stream is done with these bytes: blocks it has wholly consumed need no more watching. */
    @Override
    public void consumed(long offset, long len) {
        for (long at = offset; at < offset + len; ) {
            long b = at / BLOCK;
            int n = (int) (Math.min(offset + len, (b + 1) * BLOCK) - at);
            synchronized (this) {
                Integer left = unread.get(b);
                if (left != null) {
                    if (left > n) {
                        unread.put(b, left - n);
                    } else {
                        unread.remove(b);
                        pending.clear((int) b);
                        if (copies.remove(b) != null) {
                            heldBytes -= BLOCK;
                            notifyAll();
                        }
                        live = unread.size();
                    }
                }
            }
            at += n;
        }
    }

    /** The stream is over (done or abandoned): writers stop waiting and copying. */
    synchronized void close() {
        closed = true;
        live = 0;
        copies.clear();
        notifyAll();
    }

    /** Bytes copied aside because they were modified before the stream reached them. */
    synchronized long copiedBytes() {
        return copiedBytes;
    }
}
