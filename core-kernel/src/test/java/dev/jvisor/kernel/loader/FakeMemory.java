package dev.jvisor.kernel.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A LoaderMemory for tests: mappings in a TreeMap, contents as sparse 4 KiB pages. */
final class FakeMemory implements LoaderMemory {
    static final long PAGE = 4096;

    record Mapping(long start, long end, int prot, String name) {}

    final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    final TreeMap<Long, byte[]> pages = new TreeMap<>();
    /** Addresses findFree returns first, to reproduce a real process's layout. */
    final Deque<Long> plannedFree = new ArrayDeque<>();
    final List<Long> findFreeRequests = new ArrayList<>();
    final long mmapBase;
    final long userLimit;
    long brkStart = -1;

    FakeMemory() {
        this(0x7f0000000000L);
    }

    FakeMemory(long mmapBase) {
        this(mmapBase, ElfLoader.USER_LIMIT);
    }

    FakeMemory(long mmapBase, long userLimit) {
        this.mmapBase = mmapBase;
        this.userLimit = userLimit;
    }

    @Override
    public long userLimit() {
        return userLimit;
    }

    @Override
    public void mapFixed(long addr, long len, int prot, String name) throws LoaderException {
        if (addr % PAGE != 0 || len % PAGE != 0 || len <= 0 || addr < 0) {
            throw new IllegalArgumentException(String.format("unaligned mapFixed 0x%x+0x%x", addr, len));
        }
        Map.Entry<Long, Mapping> below = mappings.lowerEntry(addr + len);
        if (below != null && below.getValue().end() > addr) {
            throw new LoaderException(LoaderException.EEXIST, String.format("0x%x+0x%x overlaps %s", addr, len, below.getValue()));
        }
        mappings.put(addr, new Mapping(addr, addr + len, prot, name));
    }

    @Override
    public void write(long addr, byte[] src, int off, int len) {
        for (int i = 0; i < len; ) {
            long a = addr + i;
            requireMapped(a);
            int inPage = (int) (a % PAGE);
            int n = (int) Math.min(len - i, PAGE - inPage);
            byte[] page = pages.computeIfAbsent(a / PAGE, k -> new byte[(int) PAGE]);
            System.arraycopy(src, off + i, page, inPage, n);
            i += n;
        }
    }

    @Override
    public long findFree(long len) throws LoaderException {
        findFreeRequests.add(len);
        if (!plannedFree.isEmpty()) {
            return plannedFree.removeFirst();
        }
        long hi = mmapBase;
        for (Mapping m : mappings.descendingMap().values()) {
            if (m.start() >= hi) {
                continue;
            }
            if (m.end() <= hi - len) {
                break;
            }
            hi = m.start();
        }
        if (hi - len < 0x10000) {
            throw new LoaderException(LoaderException.ENOMEM, "no room for " + len);
        }
        return hi - len;
    }

    @Override
    public void setBrkStart(long addr) {
        brkStart = addr;
    }

    Mapping mappingAt(long addr) {
        Map.Entry<Long, Mapping> e = mappings.floorEntry(addr);
        return e != null && e.getValue().end() > addr ? e.getValue() : null;
    }

    private void requireMapped(long addr) {
        if (mappingAt(addr) == null) {
            throw new IllegalStateException(String.format("access to unmapped 0x%x", addr));
        }
    }

    byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; ) {
            long a = addr + i;
            requireMapped(a);
            int inPage = (int) (a % PAGE);
            int n = (int) Math.min(len - i, PAGE - inPage);
            byte[] page = pages.get(a / PAGE);
            if (page != null) {
                System.arraycopy(page, inPage, out, i, n);
            }
            i += n;
        }
        return out;
    }

    long readLong(long addr) {
        byte[] b = read(addr, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    String readCString(long addr) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long a = addr; ; a++) {
            byte c = read(a, 1)[0];
            if (c == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(c);
        }
    }

    /** True if every byte of [addr, addr+len) is zero. */
    boolean isZero(long addr, long len) {
        for (long a = addr; a < addr + len; ) {
            int n = (int) Math.min(addr + len - a, PAGE - a % PAGE);
            byte[] b = read(a, n);
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            a += n;
        }
        return true;
    }
}
