package dev.jvisor.kernel.net;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;

/** socket(2) for AF_INET and AF_INET6. */
final class InetSockets {
    private InetSockets() {}

    static SocketFile create(NetStack stack, Task t, int family, int type, int protocol) {
        throw new SyscallException(Errno.EAFNOSUPPORT);
    }
}
