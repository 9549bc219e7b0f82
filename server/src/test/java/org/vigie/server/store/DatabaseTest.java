package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigie.camera.CameraEvent;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.IngestConfig;

/** The store on both databases: migrations, transactions, and the stores that have no test class of their own. */
class DatabaseTest {

    /**
     * The highest version among the shipped migrations (both databases have the same, SchemaParityTest): read from
     * the files, not written here, so that two branches each adding a migration cannot leave it stale (V8 and V9
     * landed together and this constant said 8).
     */
    static final String LATEST = latestMigration();

    private static String latestMigration() {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(
                Path.of(DatabaseTest.class.getResource("/db/migration/sqlite").toURI()))) {
            int latest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            return Integer.toString(latest);
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void migrationsRunOnce(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database db = store.open()) {
            assertThat(db.kind()).isEqualTo(kind);
            assertThat(db.version()).isEqualTo(LATEST);
            assertThat(db.answers()).isTrue();
        }
        try (Database again = store.open()) { // re-running a migration would fail on CREATE TABLE
            assertThat(again.version()).isEqualTo(LATEST);
        }
    }

    @Test
    void sqliteRunsInWalMode() throws Exception {
        try (Database db = Database.open(dir.resolve("sub/vms.db"))) {
            String mode = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    return rs.getString(1);
                }
            });
            assertThat(mode).isEqualTo("wal");
        }
    }

    /**
     * A file made before Flyway by the numbered migrations (schema version in SQLite's user_version: 5 for the last
     * release, 3 for an older one) is taken over at its version: its rows stay, only the later versions run.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void sqliteFileOfTheNumberedMigrationsIsTakenOver(int userVersion) throws Exception {
        Path file = dir.resolve("old.db");
        List<String> numbered = List.of("V1__cameras_and_users.sql", "V2__audit_trail.sql",
                "V3__events_and_bookmarks.sql", "V4__layouts.sql", "V5__audit_head_signature.sql");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String v : numbered.subList(0, userVersion)) {
                for (String stmt : script("sqlite/" + v)) s.execute(stmt);
            }
            s.execute("PRAGMA user_version=" + userVersion);
            s.execute("INSERT INTO cameras (id, config, created) VALUES ('old', '{}', 1)");
        }
        try (Database db = Database.open(file)) {
            assertThat(db.version()).isEqualTo(LATEST);
            int rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM cameras "
                        + "UNION ALL SELECT count(*) FROM layouts UNION ALL SELECT count(*) FROM legal_holds")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(1);
        }
    }

    /** Splits a migration script into statements, keeping SQLite trigger bodies whole. */
    static List<String> script(String name) throws IOException {
        try (InputStream in = DatabaseTest.class.getResourceAsStream("/db/migration/" + name)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new java.util.ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : sql.split("\n")) {
                if (line.startsWith("--")) continue;
                cur.append(line).append('\n');
                String t = line.trim().toUpperCase();
                boolean trigger = cur.toString().trim().toUpperCase().startsWith("CREATE TRIGGER");
                if (t.endsWith(";") && (!trigger || t.endsWith("END;"))) {
                    out.add(cur.toString().trim());
                    cur.setLength(0);
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void failedWriteRollsBack(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
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
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
            assertThat(cameras.list()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void camerasRoundTripWithTheirPassword(Database.Kind kind) throws Exception {
        CameraConfig c = new CameraConfig("cam-1", "Quai", URI.create("rtsp://127.0.0.1:9/a"),
                URI.create("rtsp://127.0.0.1:9/b"), true, "viewer", "pw", IngestConfig.Transport.UDP, false,
                "district-1", Duration.ofDays(7));
        TestStore store = TestStore.of(kind, dir);
        try (Database db = store.open()) {
            new CameraStore(db, InstantSource.system()).save(c);
        }
        try (Database db = store.open()) {
            assertThat(new CameraStore(db, InstantSource.system()).list()).containsExactly(c);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void eventSearchFiltersByCameraTimeAndType(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
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

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void bookmarksRoundTrip(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            BookmarkStore bookmarks = new BookmarkStore(db);
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            BookmarkStore.Bookmark a = bookmarks.add("cam-1", t0, Duration.ofSeconds(30), "vol", "alice", t0);
            BookmarkStore.Bookmark b = bookmarks.add("cam-2", t0.plusSeconds(5), Duration.ZERO, "rixe", "bob", t0);
            assertThat(b.id()).isGreaterThan(a.id());
            assertThat(bookmarks.get(a.id())).contains(a);
            assertThat(bookmarks.search(List.of("cam-1"), t0, t0.plusSeconds(60), 10)).containsExactly(a);
            assertThat(bookmarks.delete(a.id())).isTrue();
            assertThat(bookmarks.search(null, t0, t0.plusSeconds(60), 10)).containsExactly(b);
        }
    }
}
