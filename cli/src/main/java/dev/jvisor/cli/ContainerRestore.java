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
            Path bundleDir = bundle != null ? bundle : Path.of(".");
            if (!detach) {
                return new ContainerLauncher(main).runHere(cmd, id, bundleDir, pidFile, image);
            }
            int created = new ContainerLauncher(main).create(id, bundleDir, pidFile, image);
            if (created != 0) {
                return created;
            }
            return ForegroundContainer.startDetached(main.containers.store(), id);
        } catch (BundleException e) {
            cmd.getErr().println("jvisor: " + e.getMessage());
            return e.exitCode();
        }
    }
}
