package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Task;

/** struct ucred: the process and identity SO_PEERCRED and SCM_CREDENTIALS report. */
public final class Ucred {
    public final int pid;
    public final int uid;
    public final int gid;

    public Ucred(int pid, int uid, int gid) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
    }

    /** SO_PEERCRED of a socket that has no peer (Linux: pid 0, uid and gid -1). */
    public static final Ucred NONE = new Ucred(0, -1, -1);
    /** The credentials a message without SCM_CREDENTIALS carries (pid 0, the overflow ids). */
    public static final Ucred UNSET = new Ucred(0, 65534, 65534);

    /** The caller's effective identity (what connect/listen/socketpair record for SO_PEERCRED). */
    public static Ucred effective(Task t) {
        return new Ucred(t.threadGroup().tgid, t.threadGroup().creds.euid, t.threadGroup().creds.egid);
    }

    /** The caller's real identity (what Linux attaches to messages when credentials are passed). */
    public static Ucred real(Task t) {
        return new Ucred(t.threadGroup().tgid, t.threadGroup().creds.uid, t.threadGroup().creds.gid);
    }

    byte[] bytes() {
        byte[] b = new byte[12];
        Bytes.putInt(b, 0, pid);
        Bytes.putInt(b, 4, uid);
        Bytes.putInt(b, 8, gid);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ucred u && u.pid == pid && u.uid == uid && u.gid == gid;
    }

    @Override
    public int hashCode() {
        return (pid * 31 + uid) * 31 + gid;
    }
}
