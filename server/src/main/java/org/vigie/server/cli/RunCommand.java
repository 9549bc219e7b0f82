package org.vigie.server.cli;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.vigie.server.VmsServer;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vms run --config FILE}: runs the server until SIGTERM/SIGINT, then shuts down cleanly. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the server.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "Configuration file (see conf/vms.yaml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        VmsConfig c = ConfigFiles.loadOrReport(config);
        if (c == null) {
            return ConfigException.EXIT_CODE;
        }
        return runUntilStopped(c);
    }

    /**
     * Starts the server and blocks until SIGTERM or SIGINT, then shuts it down cleanly and returns 0 (so that systemd
     * sees a clean stop as success).
     */
    @SuppressWarnings("removal")
    public static int runUntilStopped(VmsConfig c) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        for (String sig : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stop.countDown());
        }
        VmsServer server = VmsServer.start(c, InstantSource.system());
        try {
            stop.await();
        } finally {
            server.close();
        }
        return 0;
    }
}
