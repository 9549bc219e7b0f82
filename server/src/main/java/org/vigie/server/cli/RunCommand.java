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
        VmsConfig c;
        try {
            c = VmsConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("vms: bad configuration " + config + ": " + e.getMessage());
            return ConfigException.EXIT_CODE;
        }
        return runUntilStopped(c);
    }

    /** Starts the server and blocks until the JVM is asked to stop; the shutdown hook closes it cleanly. */
    static int runUntilStopped(VmsConfig c) throws Exception {
        VmsServer server = VmsServer.start(c, InstantSource.system());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("vms: shutdown: " + e);
            } finally {
                closed.countDown();
            }
        }, "vms-shutdown"));
        closed.await();
        return 0;
    }
}
