package dev.jvisor.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One signal's siginfo_t, kept as the 128 bytes Linux gives the app (x86-64 layout), so that what
 * rt_sigqueueinfo was handed is returned unchanged and every kind of signal has its own fields.
 */
public final class SigInfo {
    public static final int SIZE = 128;
    /** si_code values. */
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
            CLD_CONTINUED = 6;
    /** SIGBUS: a mapping's page lies past the end of its file. */
    public static final int BUS_ADRERR = 2;

    private final byte[] raw;

    private SigInfo(byte[] raw) {
        this.raw = raw;
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static SigInfo of(int signo, int code) {
        SigInfo i = new SigInfo(new byte[SIZE]);
        i.buf().putInt(0, signo).putInt(8, code);
        return i;
    }

    /** A signal sent by a process (kill, tkill): the sender's pid and uid. */
    public static SigInfo fromProcess(int signo, int code, int pid, int uid) {
        SigInfo i = of(signo, code);
        i.buf().putInt(16, pid).putInt(20, uid);
        return i;
    }

    /** A signal raised by the CPU (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) at {@code addr}. */
    public static SigInfo fault(int signo, int code, long addr) {
        SigInfo i = of(signo, code);
        i.buf().putLong(16, addr);
        return i;
    }

    /** SIGCHLD: which child, how it changed ({@code CLD_*}), its status and CPU times (clock ticks). */
    public static SigInfo child(int signo, int code, int pid, int uid, int status, long utime, long stime) {
        SigInfo i = of(signo, code);
        i.buf().putInt(16, pid).putInt(20, uid).putInt(24, status).putLong(32, utime).putLong(40, stime);
        return i;
    }

    /** A POSIX timer's expiry: the timer id, the overrun count and the sigevent's value. */
    public static SigInfo timer(int signo, int timerId, int overrun, long value) {
        SigInfo i = of(signo, SI_TIMER);
        i.buf().putInt(16, timerId).putInt(20, overrun).putLong(24, value);
        return i;
    }

    /** What an app handed to rt_sigqueueinfo (its si_signo replaced by the signal sent). */
    public static SigInfo fromApp(int signo, byte[] bytes) {
        SigInfo i = new SigInfo(bytes.clone());
        i.buf().putInt(0, signo);
        return i;
    }

    public int signo() {
        return buf().getInt(0);
    }

    public int code() {
        return buf().getInt(8);
    }

    public int pid() {
        return buf().getInt(16);
    }

    public int status() {
        return buf().getInt(24);
    }

    public long addr() {
        return buf().getLong(16);
    }

    public void setOverrun(int overrun) {
        buf().putInt(20, overrun);
    }

    public byte[] bytes() {
        return raw.clone();
    }
}
