package dev.jvisor.kernel.net;

import dev.jvisor.state.Registrar;

/**
 * The network stack's classes for the snapshot's class registry, with their stable IDs (the block
 * 550-599 of KernelClassRegistry). IDs are never reused or renumbered.
 */
public final class NetClasses {
    private NetClasses() {}

    public static void register(Registrar r) {
        r.add(NetStack.class, 550);
        r.add(SockFs.class, 551);
        r.add(SocketInode.class, 553);
        r.add(SocketOptions.class, 554);
        r.add(Ucred.class, 555);
        r.add(UnixSocket.class, 556);
        r.add(UnixMessage.class, 557);
        r.add(dev.jvisor.kernel.fs.tmpfs.MemSocket.class, 558);
        r.add(dev.jvisor.kernel.vfs.FileDescription[].class, 559);
        r.add(InetPorts.class, 560);
        r.add(TcpSocket.class, 561);
        r.add(UdpSocket.class, 562);
        r.add(ByteQueue.class, 563);
        r.add(Datagram.class, 564);
    }
}
