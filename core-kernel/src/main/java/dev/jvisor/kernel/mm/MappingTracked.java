package dev.jvisor.kernel.mm;

/**
 * A file that needs to know how many VMAs map it, in every address space of the sandbox: a tmpfs or
 * memfd file frees its pages only once it has no name, no open file description and no mapping (as
 * Linux's shmem inode lives on while a VMA holds a reference to it). The memory manager calls these
 * exactly once per VMA that enters or leaves its map (insert, split, merge, unmap, mremap, fork,
 * exec and exit), so the count is the number of live VMAs naming the file. The count is plain data
 * of the file, so it survives checkpoint/restore with the VMAs it counts.
 */
public interface MappingTracked {
    /** One more VMA maps this file. */
    void mappingAdded();

    /**
     * One VMA fewer maps this file. Pages the file frees as a result go to {@code freer}: the memory
     * manager defers them while another thread of the address space may still have them mapped.
     */
    void mappingRemoved(PageRefs.Freer freer);
}
