package dev.jvisor.kernel.fs.inotify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One queued event as read(2) returns it: struct inotify_event {wd, mask, cookie, len} followed by
 * the name, NUL-padded to a multiple of the header's size (16 bytes), as Linux pads it.
 */
public final class InotifyEvent {
    static final int HEADER = 16;
    final int wd;
    final int mask;
    final int cookie;
    /** The name in UTF-8, or null for an event on the watched object itself. */
    final byte[] name;

    InotifyEvent(int wd, int mask, int cookie, byte[] name) {
        this.wd = wd;
        this.mask = mask;
        this.cookie = cookie;
        this.name = name;
    }

    /** The len field: the name with its NUL, rounded up to the header size; 0 without a name. */
    int nameLength() {
        return name == null ? 0 : (name.length + 1 + HEADER - 1) / HEADER * HEADER;
    }

    int size() {
        return HEADER + nameLength();
    }

    void writeTo(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(wd).putInt(mask).putInt(cookie).putInt(nameLength());
        if (name != null) {
            b.put(name);
            b.put(new byte[nameLength() - name.length]);
        }
    }

    /** Linux's inotify_merge: the same event as the last queued one (an IN_IGNORED never merges). */
    boolean sameAs(InotifyEvent o) {
        return (mask & dev.jvisor.kernel.vfs.Fsnotify.IN_IGNORED) == 0 && mask == o.mask && wd == o.wd
                && Arrays.equals(name, o.name);
    }
}
