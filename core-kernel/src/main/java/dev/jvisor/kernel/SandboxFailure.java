package dev.jvisor.kernel;

/** The sandbox ended because its host side failed (a stub died, a host call failed). */
public final class SandboxFailure extends RuntimeException {
    public SandboxFailure(String message) {
        super(message);
    }
}
