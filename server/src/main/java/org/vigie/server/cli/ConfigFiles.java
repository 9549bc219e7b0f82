package org.vigie.server.cli;

import java.nio.file.Path;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;

/** How every launcher command reads its {@code --config}: a bad file is reported with its key and reason. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * The configuration, or null after printing why it cannot be used; the command then exits with
     * {@link ConfigException#EXIT_CODE} (78, which the systemd unit does not restart).
     */
    public static VmsConfig loadOrReport(Path file) {
        try {
            return VmsConfig.load(file);
        } catch (ConfigException e) {
            System.err.println("vms: bad configuration " + file + ": " + e.getMessage());
            return null;
        }
    }
}
