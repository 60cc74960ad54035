package dev.jvisor.gofer;

/**
 * A frame or payload that does not follow the protocol: truncated, oversized, with trailing bytes
 * or with a field out of range. Not an IOException, so it is never mistaken for a host error.
 */
final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
