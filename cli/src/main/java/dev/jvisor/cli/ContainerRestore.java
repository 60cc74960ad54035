package dev.jvisor.cli;

import dev.jvisor.cli.oci.BundleException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * `restore --image-path DIR --bundle DIR [--detach] ID`: like `run`, but the new container's sandbox
 * resumes the snapshot instead of starting config.json's process (the bundle supplies the rootfs).
 */
final class ContainerRestore {
    private ContainerRestore() {}

    static int run(Main main, CommandLine cmd, String id, Path image, Path bundle, boolean detach, Path pidFile)
            throws Exception {
        try {
            int created = new ContainerLauncher(main).create(id, bundle != null ? bundle : Path.of("."), pidFile, image);
            if (created != 0) {
                return created;
            }
            return ForegroundContainer.startAndWait(main.containers.store(), id, detach);
        } catch (BundleException e) {
            cmd.getErr().println("jvisor: " + e.getMessage());
            return e.exitCode();
        }
    }
}
