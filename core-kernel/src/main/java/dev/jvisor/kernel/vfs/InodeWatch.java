package dev.jvisor.kernel.vfs;

/**
 * A watch on one inode (Linux's fsnotify inode mark): an inotify watch. {@link Fsnotify} hands it
 * every event on the inode, and on the inode's children when it is a directory; the watch keeps
 * what its mask asks for.
 */
public interface InodeWatch {
    /**
     * An event: {@code mask} is the IN_* event bit with IN_ISDIR when the subject is a directory;
     * {@code name} is the child's name when this watch's inode is the subject's parent, else null;
     * {@code cookie} ties IN_MOVED_FROM to IN_MOVED_TO (0 otherwise); {@code unlinked} says the event
     * came through an open file whose name is gone (what IN_EXCL_UNLINK filters out).
     */
    void deliver(int mask, String name, int cookie, boolean unlinked);

    /** The inode is gone (IN_DELETE_SELF was delivered): the watch ends, queueing IN_IGNORED. */
    void inodeGone();
}
