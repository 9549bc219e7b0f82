package org.vigie.server.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import org.vigie.ingest.CameraState;
import org.vigie.server.VmsServer;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.PasswordHasher;
import org.vigie.server.auth.Role;
import org.vigie.server.auth.UserRecord;
import org.vigie.server.auth.UserStore;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.store.Database;
import org.vigie.simulator.CameraSimulator;
import org.vigie.simulator.SimulatorOptions;
import org.vigie.testing.Await;

/**
 * The playback ITs' world: one simulated camera ({@code cam-1}, 720p25, GOP 2 s) recorded by an in-process
 * {@link VmsServer}, and a user database with a supervisor granted the camera ({@link #USER}) and an operator who is
 * not ({@link #STRANGER}), behind a real {@link Authenticator} and {@link AuditLog}.
 */
final class PlaybackFixture implements AutoCloseable {

    static final String CAMERA = "cam-1";
    static final String USER = "sophie";
    static final String STRANGER = "oscar";
    static final String PASSWORD = "correct horse battery";

    final CameraSimulator simulator;
    final VmsServer server;
    final Database users;
    final Authenticator authenticator;
    final AuditLog audit;

    PlaybackFixture(Path dir) throws Exception {
        simulator = CameraSimulator.start(0, 1, SimulatorOptions.defaults());
        VmsConfig config = VmsConfig.parse("""
                storage: { path: '%s', segment-duration: 10s }
                server: { http-port: 0, rtsp-port: 0, bind-address: 127.0.0.1 }
                cameras:
                  - { id: %s, url: '%s', group: north }
                """.formatted(dir.resolve("storage"), CAMERA, simulator.url(simulator.cameraIds().get(0))));
        server = VmsServer.start(config, InstantSource.system());
        users = Database.open(dir.resolve("users.db"));
        UserStore store = new UserStore(users);
        PasswordHasher hasher = new PasswordHasher(8, 1, 1);
        authenticator = new Authenticator(store, hasher, InstantSource.system(), Duration.ofHours(1), 5,
                Duration.ofMinutes(5), Duration.ofMinutes(15));
        store.create(new UserRecord(USER, Role.SUPERVISOR, Set.of(), Set.of("north"), hasher.hash(PASSWORD), 0, 0, 0), 0);
        store.create(new UserRecord(STRANGER, Role.OPERATOR, Set.of("cam-9"), Set.of(), hasher.hash(PASSWORD), 0, 0, 0), 0);
        audit = new AuditLog(users, InstantSource.system());
        Await.until("camera streaming", Duration.ofSeconds(30),
                () -> server.cameras().get(CAMERA).orElseThrow().state() == CameraState.STREAMING);
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            users.close();
            simulator.close();
        }
    }
}
