package org.vigie.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.VmsServer;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.systemd.SystemdNotifier;

/**
 * The systemd side: the shipped unit passes {@code systemd-analyze verify} without a single warning, keeps the
 * promises the issue asks for, and the server's readiness and watchdog messages reach a notification socket,
 * the watchdog being fed only while the server is healthy.
 */
class SystemdIntegrationTest {

    @TempDir
    Path dir;

    static final Path UNIT_DIR = Path.of("../systemd");

    @Test
    void unitPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze absent (Debian package systemd)");
        String unit = Files.readString(UNIT_DIR.resolve("vms.service"));
        // verify checks that ExecStart exists: point it at this checkout's launcher
        Path copy = dir.resolve("vms.service");
        Files.writeString(copy, unit.replace("/opt/vigie/bin/vms", Path.of("../bin/vms").toAbsolutePath().normalize()
                .toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", copy.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as("systemd-analyze verify output").isEmpty();
        assertThat(p.exitValue()).isZero();

        Files.writeString(copy, unit.replace("Type=notify", "Type=notfy").replace("/opt/vigie/bin/vms",
                Path.of("../bin/vms").toAbsolutePath().normalize().toString()));
        Process bad = new ProcessBuilder(analyze.toString(), "verify", "--man=no", copy.toString())
                .redirectErrorStream(true).start();
        bad.waitFor(60, TimeUnit.SECONDS);
        assertThat(new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .as("the check itself can fail").contains("notfy");
    }

    @Test
    void unitKeepsItsPromises() throws IOException {
        String unit = Files.readString(UNIT_DIR.resolve("vms.service"));
        assertThat(unit).contains("Type=notify", "WatchdogSec=", "User=vms", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ReadWritePaths=/var/lib/vms", "LimitNOFILE=65536",
                "RestartPreventExitStatus=" + ConfigException.EXIT_CODE, "Restart=on-failure");
        assertThat(Files.readString(UNIT_DIR.resolve("vms.sysusers.conf"))).contains("u vms ");
        assertThat(Files.readString(UNIT_DIR.resolve("vms.tmpfiles.conf"))).contains("d     /var/lib/vms ");
    }

    @Test
    void readinessAndWatchdogReachTheNotifySocketOnlyWhileHealthy() throws Exception {
        Path storage = dir.resolve("recordings");
        String socket = dir.resolve("notify.sock").toString();
        VmsConfig config = VmsConfig.parse("""
                server: { bind-address: 127.0.0.1, http-port: 0 }
                storage: { path: '%s' }
                database: { path: '%s' }
                auth: { argon2-memory-kib: 64, argon2-iterations: 1 }
                """.formatted(storage, dir.resolve("vms.db")));
        try (NotifySocket notify = new NotifySocket(socket)) {
            VmsServer server = VmsServer.start(config, InstantSource.system(),
                    new SystemdNotifier(socket, Duration.ofMillis(200)), null);
            try {
                assertThat(notify.await("READY=1", 5)).contains("STATUS=recording 0 camera(s)");
                notify.await("WATCHDOG=1", 2);
                notify.await("WATCHDOG=1", 2);

                Path moved = dir.resolve("recordings-away");
                Files.move(storage, moved); // the storage folder disappears: unhealthy
                assertThat(notify.await("STATUS=unhealthy", 3)).contains("storage");
                for (int i = 0; i < 3; i++) {
                    String m = notify.receive();
                    assertThat(m).as("nothing is sent while unhealthy").isNull();
                }
                Files.move(moved, storage);
                notify.await("WATCHDOG=1", 3);
            } finally {
                server.close();
            }
            notify.await("STOPPING=1", 3);
        }
    }
}
