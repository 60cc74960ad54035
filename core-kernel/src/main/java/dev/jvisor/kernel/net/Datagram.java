package dev.jvisor.kernel.net;

/** One queued UDP datagram: its payload and where it came from (IPv6 form, port). */
final class Datagram {
    final byte[] data;
    final byte[] fromAddr;
    final int fromPort;
    /** What it costs the receive buffer (skb truesize). */
    final int truesize;

    Datagram(byte[] data, byte[] fromAddr, int fromPort) {
        this.data = data;
        this.fromAddr = fromAddr;
        this.fromPort = fromPort;
        this.truesize = data.length + 768;
    }
}
