package dev.jvisor.kernel.fs.dev;

import dev.jvisor.kernel.fs.tmpfs.MemDir;
import dev.jvisor.kernel.fs.tmpfs.MemFs;
import dev.jvisor.kernel.fs.tmpfs.MemSymlink;
import dev.jvisor.platform.MemoryFile;

/**
 * The sandbox's /dev: the character devices programs expect (null, zero, full, random, urandom,
 * tty), the /proc/self/fd links, and a /dev/shm directory for a tmpfs mount.
 */
public final class DevFs extends MemFs {
    public DevFs(long dev, MemoryFile memory) {
        super(dev, memory, "devtmpfs", 0755);
        MemDir root = (MemDir) root();
        for (Device d : Device.values()) {
            root.addEntry(d.fileName(), new DeviceNode(this, nextIno(), d));
        }
        root.addEntry("fd", new MemSymlink(this, nextIno(), "/proc/self/fd", 0, 0));
        root.addEntry("stdin", new MemSymlink(this, nextIno(), "/proc/self/fd/0", 0, 0));
        root.addEntry("stdout", new MemSymlink(this, nextIno(), "/proc/self/fd/1", 0, 0));
        root.addEntry("stderr", new MemSymlink(this, nextIno(), "/proc/self/fd/2", 0, 0));
        root.addEntry("shm", new MemDir(this, nextIno(), 01777, 0, 0));
        root.addEntry("pts", new MemDir(this, nextIno(), 0755, 0, 0));
    }

    @Override
    public long magic() {
        return 0x01021994L;
    }
}
