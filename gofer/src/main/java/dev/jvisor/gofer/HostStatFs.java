package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads statfs figures for an export from the JDK's FileStore. */
final class HostStatFs {
    /** FileStore.type() → f_type magic (linux/magic.h) for the file systems an export may live on. */
    private static final Map<String, Long> MAGIC = Map.ofEntries(
            Map.entry("ext2", 0xEF53L),
            Map.entry("ext3", 0xEF53L),
            Map.entry("ext4", 0xEF53L),
            Map.entry("xfs", 0x58465342L),
            Map.entry("btrfs", 0x9123683EL),
            Map.entry("tmpfs", 0x01021994L),
            Map.entry("overlay", 0x794C7630L),
            Map.entry("nfs", 0x6969L),
            Map.entry("nfs4", 0x6969L),
            Map.entry("9p", 0x01021997L),
            Map.entry("virtiofs", 0x65735546L),
            Map.entry("fuse", 0x65735546L),
            Map.entry("zfs", 0x2FC12FC1L),
            Map.entry("f2fs", 0xF2F52010L),
            Map.entry("vfat", 0x4D44L),
            Map.entry("squashfs", 0x73717368L),
            Map.entry("ramfs", 0x858458F6L));

    private HostStatFs() {}

    static StatFs read(Path p) throws IOException {
        FileStore store = Files.getFileStore(p);
        long bsize = store.getBlockSize();
        if (bsize <= 0) {
            bsize = 4096;
        }
        return new StatFs(
                MAGIC.getOrDefault(store.type(), 0L),
                bsize,
                store.getTotalSpace() / bsize,
                store.getUnallocatedSpace() / bsize,
                store.getUsableSpace() / bsize,
                0,
                0,
                Protocol.MAX_NAME);
    }
}
