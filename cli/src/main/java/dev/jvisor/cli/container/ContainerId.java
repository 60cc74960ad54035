package dev.jvisor.cli.container;

import dev.jvisor.cli.oci.BundleException;
import java.util.regex.Pattern;

/** Container IDs as runsc accepts them: letters, digits and _ + - . (they name a directory). */
public final class ContainerId {
    private static final Pattern VALID = Pattern.compile("[\\w+\\-.]+");

    private ContainerId() {}

    public static String check(String id) {
        if (id == null || !VALID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new BundleException("invalid container ID \"" + id + "\" (use letters, digits, _ + - .)");
        }
        return id;
    }
}
