package dev.jvisor.kernel.net;

/**
 * One message to send: the data in app memory, the destination address if the caller gave one
 * (sendto, msg_name), the raw control buffer (msg_control) and the MSG_* flags (MSG_DONTWAIT already
 * added for an O_NONBLOCK file).
 */
public final class SendMsg {
    public final IoVec data;
    public final byte[] name;
    public final byte[] control;
    public final int flags;

    public SendMsg(IoVec data, byte[] name, byte[] control, int flags) {
        this.data = data;
        this.name = name;
        this.control = control;
        this.flags = flags;
    }

    boolean dontWait() {
        return (flags & Sockets.MSG_DONTWAIT) != 0;
    }

    boolean noSignal() {
        return (flags & Sockets.MSG_NOSIGNAL) != 0;
    }
}
