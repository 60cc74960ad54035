package dev.jvisor.kernel.net;

import dev.jvisor.kernel.vfs.FileDescription;

/**
 * One queued AF_UNIX message (Linux's sk_buff with its unix_skb_parms): the bytes, how many a stream
 * reader already took, the sending socket (its address is what recvfrom reports, and it is charged
 * for the message until the message is read), the credentials and the descriptors it carries.
 */
final class UnixMessage {
    final byte[] data;
    /** Bytes already read (stream sockets read a message in parts). */
    int consumed;
    final UnixSocket from;
    /** The sender's credentials if they were attached (SO_PASSCRED on either end, or SCM_CREDENTIALS). */
    final Ucred creds;
    /** SCM_RIGHTS descriptors in flight, each holding one reference; null once taken. */
    FileDescription[] rights;
    /** What the message costs its sender's send buffer (Linux's skb truesize). */
    final int truesize;

    UnixMessage(byte[] data, UnixSocket from, Ucred creds, FileDescription[] rights) {
        this.data = data;
        this.from = from;
        this.creds = creds;
        this.rights = rights;
        this.truesize = truesize(data.length);
    }

    /** An skb's truesize on x86-64: the data plus the sk_buff and skb_shared_info overheads. */
    static int truesize(int len) {
        return len + 768;
    }

    int unread() {
        return data.length - consumed;
    }
}
