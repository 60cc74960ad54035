package dev.jvisor.platform;

/** The host side of a platform failed (a stub died, a host call failed): the sandbox cannot go on. */
public class PlatformException extends RuntimeException {
    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
