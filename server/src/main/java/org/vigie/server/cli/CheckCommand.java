package org.vigie.server.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vigie.recorder.storage.StorageChecker;
import org.vigie.recorder.storage.StorageFault;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms check --config FILE}: verifies the recordings against their indexes offline and prints each fault;
 * exits 0 when clean, 1 when a fault was found. Run it with the server stopped (an open segment is still being
 * written and may legitimately be ahead of its index).
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check recordings against their time index, offline.")
public final class CheckCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "Configuration file (every volume of its storage is checked).")
    Path config;

    @Override
    public Integer call() throws Exception {
        VmsConfig c = ConfigFiles.loadOrReport(config);
        if (c == null) {
            return ConfigException.EXIT_CODE;
        }
        List<Path> volumes = c.storage().volumes().stream().map(v -> v.path()).toList();
        List<StorageFault> faults = StorageChecker.check(volumes);
        for (StorageFault f : faults) {
            System.out.println(f);
        }
        System.out.println(faults.isEmpty() ? "check: clean (" + volumes + ")"
                : "check: " + faults.size() + " fault(s) in " + volumes);
        return faults.isEmpty() ? 0 : 1;
    }
}
