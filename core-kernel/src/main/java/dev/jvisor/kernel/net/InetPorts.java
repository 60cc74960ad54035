package dev.jvisor.kernel.net;

/** Port bindings of one transport protocol (TCP or UDP). */
final class InetPorts {
}
