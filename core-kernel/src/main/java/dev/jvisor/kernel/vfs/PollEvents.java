package dev.jvisor.kernel.vfs;

/**
 * The readiness bits of poll(2), select(2) and epoll(7) with their Linux values (asm-generic/poll.h;
 * EPOLL* events share them), and the masks Linux's select uses to turn readiness into its three sets.
 */
public final class PollEvents {
    private PollEvents() {}

    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
            POLLNVAL = 0x20, POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200,
            POLLMSG = 0x400, POLLRDHUP = 0x2000;

    /** What a file without its own poll operation reports (Linux's DEFAULT_POLLMASK): always ready. */
    public static final int DEFAULT = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    /**
     * Readable for select(2) (fs/select.c POLLIN_SET). POLLNVAL is in all three sets: an fd that is
     * open but cannot be polled (O_PATH) is reported in every set it was asked about.
     */
    public static final int SELECT_IN = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR | POLLNVAL;
    /** Writable for select(2) (POLLOUT_SET). */
    public static final int SELECT_OUT = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR | POLLNVAL;
    /** An exceptional condition for select(2) (POLLEX_SET). */
    public static final int SELECT_EX = POLLPRI | POLLNVAL;

    /** A wake-up key meaning "anything may have changed" (Linux wakes with a NULL key). */
    public static final int ANY = 0;
}
