package dev.jvisor.gofer;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * Recovers the Linux errno behind a Java exception: first from the exception's class, then from
 * the strerror text the JDK puts in its message, and EIO when neither says.
 */
final class ErrnoMapper {
    private ErrnoMapper() {}

    static int errno(Throwable t) {
        if (t instanceof GoferException g) {
            return g.errno();
        }
        if (t instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (t instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (t instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (t instanceof DirectoryNotEmptyException) {
            return Errno.ENOTEMPTY;
        }
        if (t instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        if (t instanceof NotLinkException) {
            return Errno.EINVAL;
        }
        if (t instanceof AtomicMoveNotSupportedException) {
            return Errno.EXDEV;
        }
        if (t instanceof FileSystemLoopException) {
            return Errno.ELOOP;
        }
        if (t instanceof ClosedChannelException
                || t instanceof NonReadableChannelException
                || t instanceof NonWritableChannelException) {
            return Errno.EBADF;
        }
        if (t instanceof InvalidPathException || t instanceof IllegalArgumentException) {
            return Errno.EINVAL;
        }
        if (t instanceof UnsupportedOperationException) {
            return Errno.EOPNOTSUPP;
        }
        if (t instanceof OutOfMemoryError) {
            return Errno.ENOMEM;
        }
        String text = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
        int errno = Errno.fromStrerror(text);
        return errno > 0 ? errno : Errno.EIO;
    }
}
