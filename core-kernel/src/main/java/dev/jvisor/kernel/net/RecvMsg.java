package dev.jvisor.kernel.net;

import dev.jvisor.kernel.vfs.FileDescription;

/**
 * One receive: the buffers to fill and the MSG_* flags in; what the protocol found out: the sender's
 * address ({@link #name}, null if it has none to report), the msg_flags to return, and the ancillary
 * data for the syscall layer to deliver (credentials, and descriptors it must install or drop).
 */
public final class RecvMsg {
    public final IoVec data;
    public final int flags;
    /** Whether the caller asked for the address (recvfrom with an address, msg_name set). */
    public final boolean wantName;
    /** Whether the caller supplied a control buffer (recvmsg with msg_control). */
    public final boolean wantControl;

    public byte[] name;
    public int msgFlags;
    /** SCM_CREDENTIALS to deliver, or null. */
    public Ucred creds;
    /** Descriptors received (SCM_RIGHTS): each holds one reference the receiver now owns. */
    public FileDescription[] rights;

    public RecvMsg(IoVec data, int flags, boolean wantName, boolean wantControl) {
        this.data = data;
        this.flags = flags;
        this.wantName = wantName;
        this.wantControl = wantControl;
        this.msgFlags = flags & Sockets.MSG_CMSG_CLOEXEC;
    }

    boolean peek() {
        return (flags & Sockets.MSG_PEEK) != 0;
    }

    boolean dontWait() {
        return (flags & Sockets.MSG_DONTWAIT) != 0;
    }
}
