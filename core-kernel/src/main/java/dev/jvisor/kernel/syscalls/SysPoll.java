package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.vfs.PollEvents.POLLERR;
import static dev.jvisor.kernel.vfs.PollEvents.POLLHUP;
import static dev.jvisor.kernel.vfs.PollEvents.POLLNVAL;
import static dev.jvisor.kernel.vfs.PollEvents.SELECT_EX;
import static dev.jvisor.kernel.vfs.PollEvents.SELECT_IN;
import static dev.jvisor.kernel.vfs.PollEvents.SELECT_OUT;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.FdTable;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.PathDescription;
import dev.jvisor.kernel.vfs.ReadinessWait;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * poll(2), ppoll(2), select(2) and pselect6(2), as fs/select.c: each call looks at the readiness of
 * its files, and if none is ready sleeps until one of them wakes it, its timeout passes, or the
 * earliest time a file's readiness changes by itself. An interrupted wait (checkpoint, signal)
 * restarts as on Linux: poll through restart_syscall with its original deadline, the others with the
 * time left written back into their timeout argument.
 */
final class SysPoll {
    private SysPoll() {}

    /** The file behind {@code fd} for polling, or null when there is none (closed, or O_PATH: fdget fails). */
    static FileDescription pollFile(FdTable fds, int fd) {
        if (!fds.isOpen(fd)) {
            return null;
        }
        FileDescription f = fds.get(fd);
        return f instanceof PathDescription ? null : f;
    }

    // ---- poll ---------------------------------------------------------------------------------------

    /** poll(2) */
    static long poll(Task t, SyscallArgs a) {
        long deadline = WaitTimes.deadlineMillis(t, (int) a.a2);
        return pollRestarting(t, a.a0, a.a1 & 0xffffffffL, deadline);
    }

    /** poll's own restart: an interruption resumes through restart_syscall with the same deadline. */
    static long pollRestarting(Task t, long ufds, long nfds, long deadline) {
        long r = doPoll(t, ufds, nfds, deadline);
        if (r == -Errno.ERESTARTNOHAND) {
            t.restart = new PollRestart(ufds, nfds, deadline);
            return -Errno.ERESTART_RESTARTBLOCK;
        }
        return r;
    }

    /** ppoll(2): a timespec timeout (written back) and a signal mask for the wait. */
    static long ppoll(Task t, SyscallArgs a) {
        long tsp = a.a2;
        long[] ts = tsp == 0 ? null : WaitTimes.readTimespec(t, tsp);
        boolean zero = ts != null && ts[0] == 0 && ts[1] == 0;
        long deadline = ts == null ? WaitTimes.NEVER : WaitTimes.deadline(t, ts[0], ts[1]);
        Long mask = WaitTimes.readSigmask(t, a.a3, a.a4);
        long r = WaitTimes.withMask(t, mask, () -> doPoll(t, a.a0, a.a1 & 0xffffffffL, deadline));
        return WaitTimes.finish(t, tsp, zero, deadline, r, false);
    }

    /** do_sys_poll: the count of ready entries, or -ERESTARTNOHAND when interrupted. */
    static long doPoll(Task t, long ufds, long nfds, long deadline) {
        long limit = t.threadGroup().limits.soft[Limits.RLIMIT_NOFILE];
        if (Long.compareUnsigned(nfds, limit) > 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int n = (int) nfds;
        ByteBuffer b = ByteBuffer.wrap(t.mm().read(ufds, n * 8)).order(ByteOrder.LITTLE_ENDIAN);
        int[] fds = new int[n];
        int[] filters = new int[n];
        FileDescription[] files = new FileDescription[n];
        short[] revents = new short[n];
        for (int i = 0; i < n; i++) {
            fds[i] = b.getInt(i * 8);
            filters[i] = (b.getShort(i * 8 + 4) & 0xffff) | POLLERR | POLLHUP;
            files[i] = fds[i] < 0 ? null : pollFile(t.fds(), fds[i]);
        }
        int[] count = new int[1];
        ReadinessWait.Outcome o;
        try (ReadinessWait w = new ReadinessWait(t)) {
            for (FileDescription f : files) {
                if (f != null) {
                    w.watch(f.readinessQueue());
                }
            }
            o = w.await(deadline, wait -> {
                long now = WaitTimes.now(t);
                int c = 0;
                for (int i = 0; i < n; i++) {
                    int r;
                    if (fds[i] < 0) {
                        r = 0;
                    } else if (files[i] == null) {
                        r = POLLNVAL;
                    } else {
                        r = files[i].readiness(filters[i]) & filters[i];
                        wait.changeAt(files[i].nextReadinessChangeNanos(now));
                    }
                    revents[i] = (short) r;
                    if (r != 0) {
                        c++;
                    }
                }
                count[0] = c;
                return c > 0;
            });
        }
        if (o == ReadinessWait.Outcome.INTERRUPTED) {
            return -Errno.ERESTARTNOHAND;
        }
        for (int i = 0; i < n; i++) {
            byte[] r = {(byte) revents[i], (byte) (revents[i] >> 8)};
            t.mm().copyOut(ufds + i * 8L + 6, r, 0, 2);
        }
        return count[0];
    }

    // ---- select -------------------------------------------------------------------------------------

    /** select(2): a struct timeval timeout, the time left written back on return. */
    static long select(Task t, SyscallArgs a) {
        long tvp = a.a4;
        long deadline = WaitTimes.NEVER;
        boolean zero = false;
        if (tvp != 0) {
            long sec = t.mm().readLong(tvp);
            long usec = t.mm().readLong(tvp + 8);
            // Linux folds whole seconds of tv_usec into tv_sec, then checks the result.
            long s = sec + usec / 1_000_000, ns = usec % 1_000_000 * 1000;
            deadline = WaitTimes.deadline(t, s, ns);
            zero = s == 0 && ns == 0;
        }
        long r = doSelect(t, a.a0, a.a1, a.a2, a.a3, deadline);
        return WaitTimes.finish(t, tvp, zero, deadline, r, true);
    }

    /** pselect6(2): a timespec timeout and a {sigset pointer, size} pair for the wait's signal mask. */
    static long pselect6(Task t, SyscallArgs a) {
        // The {sigset, size} pair is read first, the mask itself after the timeout (as Linux does).
        long ss = 0, len = 0;
        if (a.a5 != 0) {
            ss = t.mm().readLong(a.a5);
            len = t.mm().readLong(a.a5 + 8);
        }
        long tsp = a.a4;
        long[] ts = tsp == 0 ? null : WaitTimes.readTimespec(t, tsp);
        boolean zero = ts != null && ts[0] == 0 && ts[1] == 0;
        long deadline = ts == null ? WaitTimes.NEVER : WaitTimes.deadline(t, ts[0], ts[1]);
        Long mask = WaitTimes.readSigmask(t, ss, len);
        long dl = deadline;
        long r = WaitTimes.withMask(t, mask, () -> doSelect(t, a.a0, a.a1, a.a2, a.a3, dl));
        return WaitTimes.finish(t, tsp, zero, deadline, r, false);
    }

    /**
     * Linux's fd table size (max_fds), beyond which select ignores bits: 64 slots at first, then the
     * smallest power of two holding the highest fd ever used.
     */
    private static int maxFds(FdTable fds) {
        int slots = fds.highestFd() + 1;
        if (slots <= 64) {
            return 64;
        }
        return Integer.highestOneBit(slots - 1) << 1;
    }

    /** core_sys_select: the number of bits set in the result sets, or -ERESTARTNOHAND when interrupted. */
    static long doSelect(Task t, long nArg, long inp, long outp, long exp, long deadline) {
        int n = (int) nArg;
        if (n < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        n = Math.min(n, maxFds(t.fds()));
        int words = (n + 63) / 64;
        long[] in = readSet(t, inp, words), out = readSet(t, outp, words), ex = readSet(t, exp, words);
        // max_select_fd: every fd asked about must be open (an O_PATH fd is, but polls as POLLNVAL).
        int asked = 0;
        for (int fd = 0; fd < n; fd++) {
            if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) {
                asked++;
            }
        }
        int[] fds = new int[asked];
        FileDescription[] files = new FileDescription[asked];
        int k = 0;
        for (int fd = 0; fd < n; fd++) {
            if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) {
                if (!t.fds().isOpen(fd)) {
                    throw new SyscallException(Errno.EBADF);
                }
                FileDescription f = pollFile(t.fds(), fd);
                fds[k] = fd;
                files[k++] = f;
            }
        }
        long[] resIn = new long[words], resOut = new long[words], resEx = new long[words];
        int[] count = new int[1];
        ReadinessWait.Outcome o;
        try (ReadinessWait w = new ReadinessWait(t)) {
            for (FileDescription f : files) {
                if (f != null) {
                    w.watch(f.readinessQueue());
                }
            }
            o = w.await(deadline, wait -> {
                long now = WaitTimes.now(t);
                java.util.Arrays.fill(resIn, 0);
                java.util.Arrays.fill(resOut, 0);
                java.util.Arrays.fill(resEx, 0);
                int c = 0;
                for (int i = 0; i < fds.length; i++) {
                    int fd = fds[i];
                    boolean wantIn = isSet(in, fd), wantOut = isSet(out, fd), wantEx = isSet(ex, fd);
                    int key = SELECT_EX | (wantIn ? SELECT_IN : 0) | (wantOut ? SELECT_OUT : 0);
                    int r = POLLNVAL;
                    if (files[i] != null) {
                        r = files[i].readiness(key);
                        wait.changeAt(files[i].nextReadinessChangeNanos(now));
                    }
                    if (wantIn && (r & SELECT_IN) != 0) {
                        resIn[fd >> 6] |= 1L << fd;
                        c++;
                    }
                    if (wantOut && (r & SELECT_OUT) != 0) {
                        resOut[fd >> 6] |= 1L << fd;
                        c++;
                    }
                    if (wantEx && (r & SELECT_EX) != 0) {
                        resEx[fd >> 6] |= 1L << fd;
                        c++;
                    }
                }
                count[0] = c;
                return c > 0;
            });
        }
        if (o == ReadinessWait.Outcome.INTERRUPTED) {
            return -Errno.ERESTARTNOHAND;
        }
        writeSet(t, inp, resIn);
        writeSet(t, outp, resOut);
        writeSet(t, exp, resEx);
        return count[0];
    }

    private static boolean isSet(long[] set, int fd) {
        return set != null && (set[fd >> 6] & (1L << fd)) != 0;
    }

    private static long[] readSet(Task t, long addr, int words) {
        if (addr == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(t.mm().read(addr, words * 8)).order(ByteOrder.LITTLE_ENDIAN);
        long[] set = new long[words];
        for (int i = 0; i < words; i++) {
            set[i] = b.getLong(i * 8);
        }
        return set;
    }

    private static void writeSet(Task t, long addr, long[] set) {
        if (addr == 0 || set.length == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(set.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : set) {
            b.putLong(w);
        }
        t.mm().copyOut(addr, b.array(), 0, set.length * 8);
    }
}
