package dev.jvisor.kernel.fs.inotify;

import dev.jvisor.kernel.vfs.Fsnotify;

/** The flag bits of inotify_add_watch's mask (sys/inotify.h); the event bits are {@link Fsnotify}'s. */
public final class InotifyFlags {
    private InotifyFlags() {}

    public static final int IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000, IN_EXCL_UNLINK = 0x04000000,
            IN_MASK_CREATE = 0x10000000, IN_MASK_ADD = 0x20000000, IN_ONESHOT = 0x80000000;

    /** Every bit inotify_add_watch accepts (Linux's ALL_INOTIFY_BITS); any other bit is EINVAL. */
    public static final int ALL_BITS = Fsnotify.IN_ALL_EVENTS | Fsnotify.IN_UNMOUNT | Fsnotify.IN_Q_OVERFLOW
            | Fsnotify.IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD
            | Fsnotify.IN_ISDIR | IN_ONESHOT;
}
