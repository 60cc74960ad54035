package dev.jvisor.cli.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The config.json `jvisor spec` writes: runsc's template (a rootfs next to config.json, read-only,
 * proc/dev/sys mounts, the usual namespaces) with terminal off, since jvisor has no terminal yet.
 */
public final class SpecTemplate {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SpecTemplate() {}

    /** The template as pretty-printed JSON, running {@code args} in {@code cwd}. */
    public static String json(List<String> args, String cwd) {
        try {
            return SpecLoader.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(args, cwd)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode tree(List<String> args, String cwd) {
        ObjectNode spec = F.objectNode();
        spec.put("ociVersion", "1.0.0");
        ObjectNode process = spec.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", 0);
        user.put("gid", 0);
        strings(process.putArray("args"), args);
        strings(process.putArray("env"), List.of(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        process.put("cwd", cwd);
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "inheritable", "permitted")) {
            strings(caps.putArray(set), List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        }
        ObjectNode nofile = process.putArray("rlimits").addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", true);
        spec.put("hostname", "jvisor");
        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of());
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        ObjectNode linux = spec.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String type : List.of("pid", "network", "ipc", "uts", "mount")) {
            ns.addObject().put("type", type);
        }
        return spec;
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        if (!options.isEmpty()) {
            strings(m.putArray("options"), options);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
