package dev.jvisor.kernel.fs.dev;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.LocatedDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PollEvents;

/** An open character device: null, zero, full, random, urandom with their Linux semantics. */
public final class DeviceFile extends LocatedDescription {
    private static final int CHUNK = 65536;
    private final Device device;

    public DeviceFile(Location location, int flags, Device device) {
        super(location, flags);
        this.device = device;
    }


    @Override
    public long read(Task t, long addr, long len) {
        if (!FileMode.readable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
        switch (device) {
            case NULL:
                return 0;
            case ZERO:
            case FULL:
                return fill(t, addr, len, false);
            default:
                return fill(t, addr, Math.min(len, 32 << 20), true);
        }
    }

    private static long fill(Task t, long addr, long len, boolean random) {
        byte[] buf = new byte[(int) Math.min(len, CHUNK)];
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(buf.length, len - done);
            if (random) {
                t.kernel.runtime().random().nextBytes(buf);
            }
            t.mm().copyOut(addr + done, buf, 0, n);
            done += n;
        }
        return done;
    }

    @Override
    public long write(Task t, long addr, long len) {
        if (!FileMode.writable(flags)) {
            throw new SyscallException(Errno.EBADF);
        }
        if (device == Device.FULL) {
            throw new SyscallException(Errno.ENOSPC);
        }
        return len;
    }

    @Override
    public long pread(Task t, long addr, long len, long offset) {
        return read(t, addr, len);
    }

    @Override
    public long pwrite(Task t, long addr, long len, long offset) {
        return write(t, addr, len);
    }

    @Override
    public long seek(Task t, long offset, int whence) {
        return 0;
    }


    /**
     * Only /dev/random has a poll operation (random_poll: readable once the CRNG is ready, which it
     * always is here); the memory devices have none, so poll sees them always ready and epoll
     * refuses them with EPERM.
     */
    @Override
    public boolean pollable() {
        return device == Device.RANDOM;
    }

    @Override
    public int readiness(int mask) {
        return device == Device.RANDOM ? PollEvents.POLLIN | PollEvents.POLLRDNORM : PollEvents.DEFAULT;
    }

    @Override
    public String describe() {
        return "/dev/" + device.fileName();
    }
}
