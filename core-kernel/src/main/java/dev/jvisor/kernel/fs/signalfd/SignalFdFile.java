package dev.jvisor.kernel.fs.signalfd;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SigInfo;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.ThreadGroup;
import dev.jvisor.kernel.vfs.AnonFile;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.PollEvents;
import dev.jvisor.kernel.vfs.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd (signalfd(2)): reading it takes pending signals of its mask from the reader (its own
 * pending set, then its process's) as struct signalfd_siginfo records instead of running handlers.
 * It is readable while its creator has such a signal pending. The mask is plain state, so it
 * survives a checkpoint; pending signals live in the tasks.
 */
public final class SignalFdFile extends AnonFile {
    private static final int RECORD = 128;
    private long mask;
    private final Task owner;

    public SignalFdFile(Task owner, long mask, int flags) {
        super(flags);
        this.owner = owner;
        this.mask = mask;
    }

    public synchronized void setMask(long mask) {
        this.mask = mask;
    }

    private synchronized long mask() {
        return mask;
    }

    @Override
    protected String anonName() {
        return "signalfd";
    }

    @Override
    public long read(Task t, long addr, long len) {
        if (len < RECORD) {
            throw new SyscallException(Errno.EINVAL);
        }
        long done = 0;
        while (done + RECORD <= len) {
            SigInfo info = t.takeSignal(mask());
            if (info == null) {
                if (done > 0) {
                    break;
                }
                if ((flags & FileMode.O_NONBLOCK) != 0) {
                    throw new SyscallException(Errno.EAGAIN);
                }
                ThreadGroup tg = t.threadGroup();
                if (!tg.signalWaiters().await(t, t.kernel, () -> (t.pendingMask() & mask()) != 0)) {
                    throw new SyscallException(Errno.ERESTARTSYS);
                }
                continue;
            }
            byte[] rec = record(info);
            t.mm().copyOut(addr + done, rec, 0, RECORD);
            done += RECORD;
        }
        return done;
    }

    /** struct signalfd_siginfo from a siginfo_t, field by field as Linux's signalfd_copyinfo. */
    private static byte[] record(SigInfo info) {
        ByteBuffer in = ByteBuffer.wrap(info.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);
        int signo = in.getInt(0);
        int code = in.getInt(8);
        out.putInt(0, signo);
        out.putInt(4, in.getInt(4));
        out.putInt(8, code);
        boolean fault = code > 0 && (signo == 4 || signo == 5 || signo == 7 || signo == 8 || signo == 11);
        if (fault) {
            out.putLong(72, in.getLong(16)); // ssi_addr
        } else if (code == SigInfo.SI_TIMER) {
            out.putInt(24, in.getInt(16)); // ssi_tid: the timer id
            out.putInt(32, in.getInt(20)); // ssi_overrun
            out.putInt(44, in.getInt(24)); // ssi_int
            out.putLong(48, in.getLong(24)); // ssi_ptr
        } else if (signo == 17 && code > 0) {
            out.putInt(12, in.getInt(16)); // ssi_pid
            out.putInt(16, in.getInt(20)); // ssi_uid
            out.putInt(40, in.getInt(24)); // ssi_status
            out.putLong(56, in.getLong(32)); // ssi_utime
            out.putLong(64, in.getLong(40)); // ssi_stime
        } else {
            out.putInt(12, in.getInt(16)); // ssi_pid
            out.putInt(16, in.getInt(20)); // ssi_uid
            out.putInt(44, in.getInt(24)); // ssi_int
            out.putLong(48, in.getLong(24)); // ssi_ptr
        }
        return out.array();
    }

    @Override
    public int readiness(int events) {
        return (owner.pendingMask() & mask()) != 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
    }

    @Override
    public WaitQueue readinessQueue() {
        return owner.threadGroup().signalWaiters();
    }
}
