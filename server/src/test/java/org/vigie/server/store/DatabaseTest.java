package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.camera.CameraEvent;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void migrationsRunOnceInWalMode() throws Exception {
        Path file = dir.resolve("sub/vms.db");
        try (Database db = Database.open(file)) {
            assertThat(db.version()).isEqualTo(Database.MIGRATIONS.size());
            String mode = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    return rs.getString(1);
                }
            });
            assertThat(mode).isEqualTo("wal");
        }
        try (Database again = Database.open(file)) { // re-running a migration would fail on CREATE TABLE
            assertThat(again.version()).isEqualTo(Database.MIGRATIONS.size());
        }
    }

    @Test
    void failedWriteRollsBack() throws Exception {
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            CameraStore cameras = new CameraStore(db, InstantSource.system());
            // the second statement fails: the caller is told, and the first must not survive
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO cameras (id, config, created) VALUES ('x', '{}', 0)");
                    s.execute("INSERT INTO no_such_table VALUES (1)");
                }
                return null;
            })).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("no_such_table");
            int rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM cameras")) {
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
            assertThat(cameras.list()).isEmpty();
        }
    }

    @Test
    void camerasRoundTripWithTheirPassword() throws Exception {
        CameraConfig c = new CameraConfig("cam-1", "Quai", URI.create("rtsp://127.0.0.1:9/a"),
                URI.create("rtsp://127.0.0.1:9/b"), true, "viewer", "pw", IngestConfig.Transport.UDP, false,
                "district-1", Duration.ofDays(7));
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            new CameraStore(db, InstantSource.system()).save(c);
        }
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            assertThat(new CameraStore(db, InstantSource.system()).list()).containsExactly(c);
        }
    }

    @Test
    void eventSearchFiltersByCameraTimeAndType() throws Exception {
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            EventStore events = new EventStore(db);
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            events.append(new CameraEvent("a", t0, "Motion", CameraEvent.Type.MOTION, true, "", "<x/>"));
            events.append(new CameraEvent("a", t0.plusSeconds(10), "Tamper", CameraEvent.Type.TAMPER, true, "", "<x/>"));
            events.append(new CameraEvent("b", t0.plusSeconds(20), "Motion", CameraEvent.Type.MOTION, true, "", "<x/>"));
            assertThat(events.search(null, t0, t0.plusSeconds(60), null, 10)).extracting(EventStore.StoredEvent::camera)
                    .containsExactly("b", "a", "a");
            assertThat(events.search(List.of("a"), t0, t0.plusSeconds(60), CameraEvent.Type.MOTION, 10)).hasSize(1);
            assertThat(events.search(List.of("a"), t0.plusSeconds(1), t0.plusSeconds(10), null, 10)).isEmpty();
            assertThat(events.search(List.of(), t0, t0.plusSeconds(60), null, 10)).isEmpty();
        }
    }
}
