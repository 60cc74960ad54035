package dev.jvisor.gofer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decodes one request, runs it, encodes the reply payload. Every argument is decoded and the
 * payload checked to be used up before anything runs, so a malformed request never acts.
 */
final class Dispatcher {
    private final Session s;
    private final LookupOps lookup;
    private final IoOps io;
    private final MutationOps mutation;
    private final AttrSetter setter;

    Dispatcher(Session s) {
        this.s = s;
        this.lookup = new LookupOps(s);
        this.io = new IoOps(s);
        this.mutation = new MutationOps(s);
        this.setter = new AttrSetter(s, lookup);
    }

    /** Runs the request of {@code type} with arguments {@code in}, appending the reply payload to {@code out}. */
    void handle(int type, WireReader in, WireWriter out) throws IOException, ProtocolException {
        switch (type) {
            case Protocol.VERSION_REQ -> version(in, out);
            case Protocol.ATTACH -> {
                String name = in.str();
                in.end();
                Attached a = lookup.attach(name);
                out.u32(a.fid()).u8(a.readOnly() ? 1 : 0);
                a.attr().encode(out);
            }
            case Protocol.WALK -> {
                int fid = in.u32();
                String name = in.str();
                in.end();
                fidAttr(lookup.walk(fid, name), out);
            }
            case Protocol.CLONE -> {
                int fid = in.u32();
                in.end();
                fidAttr(lookup.cloneFid(fid), out);
            }
            case Protocol.STAT -> {
                int fid = in.u32();
                in.end();
                lookup.stat(fid).encode(out);
            }
            case Protocol.OPEN -> {
                int fid = in.u32();
                int flags = in.u32();
                in.end();
                io.open(fid, flags);
            }
            case Protocol.READ -> {
                int fid = in.u32();
                long offset = in.u64();
                int count = in.u32();
                in.end();
                io.read(fid, offset, count, out);
            }
            case Protocol.WRITE -> {
                int fid = in.u32();
                long offset = in.u64();
                ByteBuffer data = in.bytes();
                in.end();
                out.u32(io.write(fid, offset, data));
            }
            case Protocol.READDIR -> {
                int fid = in.u32();
                long cookie = in.u64();
                int maxBytes = in.u32();
                in.end();
                List<DirEntry> entries = io.readdir(fid, cookie, maxBytes);
                out.u32(entries.size());
                entries.forEach(e -> e.encode(out));
            }
            case Protocol.READLINK -> {
                int fid = in.u32();
                in.end();
                out.str(lookup.readlink(fid));
            }
            case Protocol.CREATE -> {
                int dir = in.u32();
                String name = in.str();
                int flags = in.u32();
                int mode = in.u32();
                in.end();
                fidAttr(mutation.create(dir, name, flags, mode), out);
            }
            case Protocol.MKDIR -> {
                int dir = in.u32();
                String name = in.str();
                int mode = in.u32();
                in.end();
                mutation.mkdir(dir, name, mode).encode(out);
            }
            case Protocol.MKNOD -> {
                int dir = in.u32();
                String name = in.str();
                int mode = in.u32();
                long rdev = in.u64();
                in.end();
                mutation.mknod(dir, name, mode, rdev).encode(out);
            }
            case Protocol.UNLINK -> {
                int dir = in.u32();
                String name = in.str();
                boolean isDir = in.bool();
                in.end();
                mutation.unlink(dir, name, isDir);
            }
            case Protocol.RENAME -> {
                int oldDir = in.u32();
                String oldName = in.str();
                int newDir = in.u32();
                String newName = in.str();
                in.end();
                mutation.rename(oldDir, oldName, newDir, newName);
            }
            case Protocol.LINK -> {
                int target = in.u32();
                int dir = in.u32();
                String name = in.str();
                in.end();
                mutation.link(target, dir, name).encode(out);
            }
            case Protocol.SYMLINK -> {
                int dir = in.u32();
                String name = in.str();
                String target = in.str();
                in.end();
                mutation.symlink(dir, name, target).encode(out);
            }
            case Protocol.SETATTR -> {
                int fid = in.u32();
                SetAttr c = SetAttr.decode(in);
                in.end();
                setter.apply(fid, c).encode(out);
            }
            case Protocol.FSYNC -> {
                int fid = in.u32();
                in.end();
                io.fsync(fid);
            }
            case Protocol.STATFS -> {
                int fid = in.u32();
                in.end();
                lookup.statfs(fid).encode(out);
            }
            case Protocol.CLUNK -> {
                int fid = in.u32();
                in.end();
                lookup.clunk(fid);
            }
            default -> throw new GoferException(Errno.ENOSYS, "unknown request type " + type);
        }
    }

    private void version(WireReader in, WireWriter out) throws ProtocolException, GoferException {
        int version = in.u32();
        long maxFrame = Integer.toUnsignedLong(in.u32());
        in.end();
        if (s.handshakeDone()) {
            throw new GoferException(Errno.EPROTO, "version already negotiated");
        }
        if (version != Protocol.VERSION) {
            throw new GoferException(Errno.EPROTONOSUPPORT, "client speaks version " + version + ", server " + Protocol.VERSION);
        }
        if (maxFrame < Protocol.MIN_FRAME) {
            throw new GoferException(Errno.EINVAL, "frame limit " + maxFrame + " below " + Protocol.MIN_FRAME);
        }
        s.maxFrame = (int) Math.min(maxFrame, Protocol.MAX_FRAME);
        out.u32(Protocol.VERSION).u32(s.maxFrame);
    }

    private static void fidAttr(FidAttr f, WireWriter out) {
        out.u32(f.fid());
        f.attr().encode(out);
    }
}
