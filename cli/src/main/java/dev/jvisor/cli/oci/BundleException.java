package dev.jvisor.cli.oci;

/**
 * A problem with what the user gave jvisor (bundle, config.json, container ID, state): the message
 * is the one line the user sees after "jvisor: ".
 */
public class BundleException extends RuntimeException {
    private final int exitCode;

    public BundleException(String message) {
        this(message, 125);
    }

    public BundleException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code the command ends with (125 for jvisor's own errors, 126/127 for the program). */
    public int exitCode() {
        return exitCode;
    }
}
