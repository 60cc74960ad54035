package dev.jvisor.cli.oci;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and validates a bundle's config.json. Every problem becomes one {@link BundleException}
 * naming the bundle and what is wrong, checked in the order a user would fix them.
 */
final class SpecLoader {
    /** Unknown fields are ignored: real config.json files carry much that jvisor does not use yet. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecLoader() {}

    static Bundle load(Path dir) {
        Path bundle = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(bundle)) {
            throw new BundleException("bundle " + bundle + ": no such directory");
        }
        OciSpec spec = parse(bundle, bundle.resolve("config.json"));
        OciSpec.Process p = spec.process();
        if (p == null) {
            throw bad(bundle, "config.json has no \"process\"");
        }
        if (p.terminal()) {
            throw bad(bundle, "process.terminal is true, but jvisor has no terminal support yet; set it to false");
        }
        if (p.args() == null || p.args().isEmpty() || p.args().get(0) == null || p.args().get(0).isEmpty()) {
            throw bad(bundle, "process.args is empty");
        }
        if (p.cwd() != null && !p.cwd().startsWith("/")) {
            throw bad(bundle, "process.cwd \"" + p.cwd() + "\" is not absolute");
        }
        Rlimits.check(bundle, p.rlimits());
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw bad(bundle, "config.json has no root.path");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw bad(bundle, "root.path " + rootfs + " is not a directory");
        }
        MountPlan.check(bundle, spec.mounts());
        return new Bundle(bundle, spec, rootfs);
    }

    private static OciSpec parse(Path bundle, Path config) {
        try {
            OciSpec spec = MAPPER.readValue(Files.readAllBytes(config), OciSpec.class);
            if (spec == null) {
                throw bad(bundle, "config.json is empty");
            }
            return spec;
        } catch (NoSuchFileException e) {
            throw bad(bundle, "no config.json (create one with `jvisor spec`)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw bad(bundle, "config.json is not valid" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad(bundle, "cannot read config.json: " + e.getMessage());
        }
    }

    /** Jackson's message without its multi-line source excerpt, which only repeats the location. */
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replaceAll("\\s*\\(start marker at \\[Source.*$", "");
    }

    static BundleException bad(Path bundle, String what) {
        return new BundleException("bundle " + bundle + ": " + what);
    }
}
