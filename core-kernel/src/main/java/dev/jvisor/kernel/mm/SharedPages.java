package dev.jvisor.kernel.mm;

import dev.jvisor.kernel.vfs.FileData;

/**
 * A file whose MAP_SHARED mappings map its own pages in the memory file, so every process (and the
 * file's read and write) sees the same bytes: a tmpfs or memfd file always, a bind-mounted host
 * file while it is mapped shared (its bytes cached in memory-file pages meanwhile).
 */
public interface SharedPages {
    /** The file's pages now. */
    FileData sharedData();
}
