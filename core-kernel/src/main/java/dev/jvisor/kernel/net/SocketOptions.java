package dev.jvisor.kernel.net;

/**
 * The SOL_SOCKET settings of one socket (Linux's struct sock fields behind setsockopt/getsockopt),
 * with their defaults. Timeouts are nanoseconds, -1 meaning none (MAX_SCHEDULE_TIMEOUT).
 */
final class SocketOptions {
    int sndbuf;
    int rcvbuf;
    boolean sndbufLocked, rcvbufLocked;
    boolean reuseAddr, reusePort, keepAlive, broadcast, oobInline, dontRoute, debug, noCheck;
    boolean passCred, passSec, passPidfd, rxqOvfl, zeroCopy, selectErrQueue, timestamp, timestampNs;
    boolean linger;
    int lingerSecs;
    int priority;
    int rcvlowat = 1;
    int mark;
    int busyPoll;
    int incomingCpu = -1;
    int boundDevice;
    long rcvTimeoNs = -1;
    long sndTimeoNs = -1;

    SocketOptions(int sndbuf, int rcvbuf) {
        this.sndbuf = sndbuf;
        this.rcvbuf = rcvbuf;
    }

    /** A copy for a connection accepted from a listener (Linux clones the listener's sock). */
    SocketOptions copy() {
        SocketOptions o = new SocketOptions(sndbuf, rcvbuf);
        o.sndbufLocked = sndbufLocked;
        o.rcvbufLocked = rcvbufLocked;
        o.reuseAddr = reuseAddr;
        o.reusePort = reusePort;
        o.keepAlive = keepAlive;
        o.broadcast = broadcast;
        o.oobInline = oobInline;
        o.dontRoute = dontRoute;
        o.debug = debug;
        o.noCheck = noCheck;
        o.passCred = passCred;
        o.passSec = passSec;
        o.passPidfd = passPidfd;
        o.rxqOvfl = rxqOvfl;
        o.zeroCopy = zeroCopy;
        o.selectErrQueue = selectErrQueue;
        o.timestamp = timestamp;
        o.timestampNs = timestampNs;
        o.linger = linger;
        o.lingerSecs = lingerSecs;
        o.priority = priority;
        o.rcvlowat = rcvlowat;
        o.mark = mark;
        o.busyPoll = busyPoll;
        o.incomingCpu = incomingCpu;
        o.boundDevice = boundDevice;
        o.rcvTimeoNs = rcvTimeoNs;
        o.sndTimeoNs = sndTimeoNs;
        return o;
    }
}
