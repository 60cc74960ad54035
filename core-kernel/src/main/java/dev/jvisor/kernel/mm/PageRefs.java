package dev.jvisor.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference counts of memory-file pages that more than one address space holds privately: after
 * fork(2) parent and child share every private page until one of them writes it (copy on write, in
 * the Sentry). Pages not listed here have exactly one owner, so the common case costs nothing; shared
 * pages are kept as runs, never one object per page. Guarded by its own monitor.
 */
public final class PageRefs {
    /** A run [start, end) of memory-file offsets whose pages each have {@code refs} owners (at least 2). */
    public static final class Run {
        long end;
        int refs;

        Run(long end, int refs) {
            this.end = end;
            this.refs = refs;
        }
    }

    private final TreeMap<Long, Run> runs = new TreeMap<>();

    /** Splits runs so that one starts at {@code off}, if a run crosses it. */
    private void splitAt(long off) {
        Map.Entry<Long, Run> e = runs.floorEntry(off);
        if (e != null && e.getKey() < off && off < e.getValue().end) {
            runs.put(off, new Run(e.getValue().end, e.getValue().refs));
            e.getValue().end = off;
        }
    }

    /** One more owner for every page of [off, off+len). */
    public synchronized void share(long off, long len) {
        long end = off + len;
        splitAt(off);
        splitAt(end);
        long at = off;
        List<long[]> gaps = new ArrayList<>();
        for (Map.Entry<Long, Run> e : runs.subMap(off, true, end, false).entrySet()) {
            if (e.getKey() > at) {
                gaps.add(new long[] {at, e.getKey()});
            }
            e.getValue().refs++;
            at = e.getValue().end;
        }
        if (at < end) {
            gaps.add(new long[] {at, end});
        }
        for (long[] g : gaps) {
            runs.put(g[0], new Run(g[1], 2));
        }
    }

    /** How many address spaces own the page at {@code off}. */
    public synchronized int refs(long off) {
        Map.Entry<Long, Run> e = runs.floorEntry(off);
        return e != null && off < e.getValue().end ? e.getValue().refs : 1;
    }

    /** The end of the run from {@code off} (at most {@code limit}) whose pages are all shared, or all not. */
    public synchronized long sameStateEnd(long off, long limit) {
        Map.Entry<Long, Run> e = runs.floorEntry(off);
        if (e != null && off < e.getValue().end) {
            return Math.min(limit, e.getValue().end);
        }
        Long next = runs.ceilingKey(off);
        return next == null ? limit : Math.min(limit, next);
    }

    /** Where pages nobody owns any more go: back to the memory file, now or later. */
    @FunctionalInterface
    public interface Freer {
        void free(long off, long len);
    }

    /** One owner fewer for [off, off+len): pages nobody owns any more go to {@code memory}. */
    public synchronized void release(long off, long len, Freer memory) {
        long end = off + len;
        splitAt(off);
        splitAt(end);
        long at = off;
        List<Long> dropped = new ArrayList<>();
        for (Map.Entry<Long, Run> e : runs.subMap(off, true, end, false).entrySet()) {
            if (e.getKey() > at) {
                memory.free(at, e.getKey() - at);
            }
            if (--e.getValue().refs < 2) {
                dropped.add(e.getKey());
            }
            at = e.getValue().end;
        }
        if (at < end) {
            memory.free(at, end - at);
        }
        dropped.forEach(runs::remove);
    }
}
