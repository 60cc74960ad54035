package dev.jvisor.cli;

import picocli.CommandLine.IVersionProvider;

/** The jvisor version, from the jar manifest (or "dev" when run from classes). */
public final class Version implements IVersionProvider {
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jvisor " + get()};
    }
}
