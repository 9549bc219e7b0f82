package org.vigie.server.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.vigie.server.VmsServer;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/** In-process servers for API tests: 127.0.0.1, a free port, cheap Argon2, storage and database in a temp folder. */
public final class TestServers {

    public static final String ADMIN_PASSWORD = "admin-password-1";

    private TestServers() {
    }

    /** The YAML of a test server; {@code cameras} is the YAML list of the cameras section (may be "[]"). */
    public static String yaml(Path dir, String cameras) {
        return """
                server: { bind-address: 127.0.0.1, http-port: 0, rtsp-port: 0 }
                storage: { path: '%s', segment-duration: 10s }
                ingest: { reconnect-min: 200ms, reconnect-max: 1s }
                auth: { admin-password: '%s', argon2-memory-kib: 64, argon2-iterations: 1, lockout-failures: 3,
                        source-failures: 1000 }
                cameras: %s
                """.formatted(dir.resolve("recordings"), ADMIN_PASSWORD, cameras);
    }

    public static VmsServer start(Path dir, String cameras) throws Exception {
        return VmsServer.start(VmsConfig.parse(yaml(dir, cameras)), InstantSource.system(),
                new SystemdNotifier(null, null), null);
    }

    public static void await(String what, Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            Thread.sleep(100);
        }
    }

    /** A condition polled against a live system. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }
}
