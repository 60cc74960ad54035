package dev.jvisor.kernel.vfs;

import dev.jvisor.kernel.Task;

/**
 * An open file description that names a place in the file tree (files, directories, devices, O_PATH):
 * it knows its location and takes its stat from the inode there.
 */
public abstract class LocatedDescription extends FileDescription {
    private final Location location;

    protected LocatedDescription(Location location, int flags) {
        super(flags);
        this.location = location;
    }

    @Override
    public final Location location() {
        return location;
    }

    @Override
    public byte[] stat(Task t) {
        return location.inode().stat(t);
    }
}
