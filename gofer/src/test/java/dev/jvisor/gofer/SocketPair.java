package dev.jvisor.gofer;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Two connected Unix stream sockets (the JDK has no socketpair): a listener in a temp dir, used once. */
record SocketPair(SocketChannel client, SocketChannel server) {
    static SocketPair open(Path dir) throws IOException {
        Path sock = Files.createTempDirectory(dir, "sock").resolve("s");
        try (ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            l.bind(UnixDomainSocketAddress.of(sock));
            SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            SocketChannel s = l.accept();
            Files.delete(sock);
            return new SocketPair(c, s);
        }
    }
}
