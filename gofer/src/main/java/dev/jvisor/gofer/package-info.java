/**
 * The gofer: the only process of a sandbox that opens host files, serving the root file system and
 * bind mounts ("exports") to the Sentry over a socket protocol of our own (DESIGN.md §1, §7). The
 * full specification is {@code gofer/PROTOCOL.md}; this is its summary.
 *
 * <h2>Framing</h2>
 * Little-endian frames {@code [u32 length][u16 type][u32 tag][payload]}, where {@code length}
 * counts the bytes after itself (6 + payload) and lies in [6, maxFrame] (64 KiB before the
 * handshake, then the negotiated limit, at most 4 MiB). Strings are u16-counted UTF-8, blobs
 * u32-counted, times {@code i64 sec, u32 nsec}. Each request gets exactly one reply with the same
 * tag: type {@code request | 0x8000}, or {@code 0xFFFF} with {@code u32 errno, str message}
 * carrying a Linux errno. A bad length or a frame cut short closes the connection; an unknown type
 * (ENOSYS), a malformed payload (EINVAL, checked before anything runs) or an unknown fid (EBADF)
 * gets an error reply.
 *
 * <h2>Requests</h2>
 * VERSION first; then, on server-numbered fids (handles naming one file of one export):
 * ATTACH(export) → fid, readOnly, attr; WALK(fid, one component; never follows a symlink) → fid,
 * attr; CLONE(fid) → fid, attr; STAT → attr; OPEN(fid, flags; always O_NOFOLLOW); READ(fid, offset,
 * count) → bytes; WRITE(fid, offset, bytes) → count; READDIR(fid, cookie, maxBytes) → entries;
 * READLINK → text; CREATE(dir, name, flags, mode) → opened fid, attr; MKDIR, MKNOD (regular files
 * only), SYMLINK → attr; UNLINK(dir, name, isDir); RENAME; LINK → attr; SETATTR(fid, mask, ...) →
 * attr; FSYNC; STATFS; CLUNK. Every mutation of a read-only export is EROFS. Renames and unlinks
 * made through the connection keep fids attached to their files.
 *
 * <h2>Classes</h2>
 * {@link dev.jvisor.gofer.GoferServer} serves one connection on the host side and never leaves its
 * exports (each use of a fid re-checks, with lstat, that no directory on its path is a symlink);
 * {@link dev.jvisor.gofer.GoferClient} is the Sentry's thread-safe stub, failing with
 * {@link dev.jvisor.gofer.GoferException} (EIO when the gofer dies, hangs or sends garbage);
 * {@link dev.jvisor.gofer.GoferMain} is the gofer process and
 * {@link dev.jvisor.gofer.GoferProcess} starts one and connects to it.
 */
package dev.jvisor.gofer;
