package org.vigie.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded SQLite database ({@code database.path}) in WAL mode, with numbered schema migrations applied at open
 * (the schema version is SQLite's {@code user_version}).
 *
 * <p>Thread-safety: one JDBC connection shared by every store, guarded by this object's monitor: every access goes
 * through {@link #read} or {@link #write}, which serialise callers. Callers are the API's worker threads and the
 * server's start-up, never a Netty event loop (SQLite does blocking file I/O). {@link #write} runs its work in a
 * transaction: all or nothing.
 */
public final class Database implements AutoCloseable {

    /**
     * Migration {@code i} brings the schema from version {@code i} to {@code i + 1}. Append only: a released
     * migration is never edited.
     */
    static final List<String> MIGRATIONS = List.of(
            // 1: cameras added through the API, users and their credentials
            """
            CREATE TABLE cameras (id TEXT PRIMARY KEY, config TEXT NOT NULL, created INTEGER NOT NULL);
            CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
                cameras TEXT NOT NULL, groups_ TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
                first_failure INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
                created INTEGER NOT NULL);
            CREATE TABLE tokens (hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username)
                ON DELETE CASCADE, expires INTEGER NOT NULL);
            CREATE TABLE api_keys (hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, username TEXT NOT NULL
                REFERENCES users(username) ON DELETE CASCADE, name TEXT NOT NULL, created INTEGER NOT NULL);
            """,
            // 2: the audit trail, append-only and hash-chained; audit_head remembers the last record so that
            // removing records at the end is detected too
            """
            CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, username TEXT NOT NULL,
                action TEXT NOT NULL, camera TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
            CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
            """,
            // 3: camera events and bookmarks
            """
            CREATE TABLE events (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, time INTEGER NOT NULL,
                type TEXT NOT NULL, topic TEXT NOT NULL, active INTEGER NOT NULL, source TEXT NOT NULL,
                data TEXT NOT NULL);
            CREATE INDEX events_camera_time ON events (camera, time);
            CREATE INDEX events_time ON events (time);
            CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, time INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL, title TEXT NOT NULL, created_by TEXT NOT NULL, created INTEGER NOT NULL);
            CREATE INDEX bookmarks_camera_time ON bookmarks (camera, time);
            """,
            // 4: the operators' saved wall layouts (cameras: a JSON array, one entry per tile)
            """
            CREATE TABLE layouts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL,
                group_ TEXT, layout TEXT NOT NULL, cameras TEXT NOT NULL, created INTEGER NOT NULL,
                updated INTEGER NOT NULL);
            CREATE INDEX layouts_owner ON layouts (owner);
            CREATE INDEX layouts_group ON layouts (group_);
            """,
            // 5: the head of the audit chain signed with the server's Ed25519 key (a rewritten chain cannot be)
            """
            ALTER TABLE audit_head ADD COLUMN signature TEXT;
            """,
            // 6: privacy masks (issue 14): every version of each camera's masks, kept (valid from its creation until
            // the next version); users' per-camera unmask right (a JSON array of camera ids)
            """
            CREATE TABLE privacy_masks (camera TEXT NOT NULL, version INTEGER NOT NULL, valid_from_us INTEGER NOT NULL,
                changed_by TEXT NOT NULL, masks TEXT NOT NULL, PRIMARY KEY (camera, version));
            ALTER TABLE users ADD COLUMN unmask TEXT NOT NULL DEFAULT '[]';
            """);

    private final Connection connection;
    private final Path path;

    private Database(Path path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    /** Opens (creating if needed) the database and applies the pending migrations. */
    public static Database open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            Database db = new Database(path, c);
            db.migrate();
            return db;
        } catch (SQLException e) {
            throw new IOException("cannot open database " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The schema version (the number of migrations applied). */
    public int version() throws SQLException {
        return read(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                return rs.getInt(1);
            }
        });
    }

    private synchronized void migrate() throws SQLException {
        int current = version();
        for (int v = current; v < MIGRATIONS.size(); v++) {
            int target = v + 1;
            String sql = MIGRATIONS.get(v);
            write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String stmt : splitStatements(sql)) {
                        s.execute(stmt);
                    }
                    s.execute("PRAGMA user_version=" + target);
                }
                return null;
            });
        }
    }

    /** Splits a migration on ';' at line ends, keeping trigger bodies (which end in "; END;") whole. */
    static List<String> splitStatements(String sql) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.split("\n")) {
            cur.append(line).append('\n');
            String t = line.trim();
            boolean trigger = cur.toString().trim().toUpperCase().startsWith("CREATE TRIGGER");
            if (t.endsWith(";") && (!trigger || t.toUpperCase().endsWith("END;"))) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().trim());
        return out;
    }

    /** Runs read-only work on the shared connection. */
    public synchronized <T> T read(Work<T> work) throws SQLException {
        return work.run(connection);
    }

    /**
     * Runs read-only work on a connection of its own, in one transaction: in WAL mode it reads a consistent
     * snapshot while the shared connection keeps serving writers. For long reads (verifying the whole audit
     * chain) that must not hold up the API, the audit appends or the watchdog's health check.
     */
    public <T> T readSeparately(Work<T> work) throws SQLException {
        return readOnly(path, work);
    }

    /**
     * Runs read-only work on a read-only connection of its own to the database file at {@code path}, in one
     * transaction, without opening (creating, migrating) the database: for readers outside the server, such as
     * {@code vms jvm-options}, which may run while the server holds it.
     */
    public static <T> T readOnly(Path path, Work<T> work) throws SQLException {
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(5000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, cfg.toProperties())) {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    /** Runs work in a transaction: committed when it returns, rolled back when it throws. */
    public synchronized <T> T write(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to protect
        }
    }

    /** Work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
