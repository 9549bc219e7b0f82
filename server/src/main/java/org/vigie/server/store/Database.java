package org.vigie.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.vigie.server.config.DatabaseConfig;

/**
 * The store's database: the embedded SQLite file of a single node ({@code database.path}), or the PostgreSQL
 * server a cluster shares ({@code database.url}). Both carry one schema, migrated at open by Flyway from the SQL
 * scripts under {@code db/migration/<kind>/} (one folder per database, the same versions, the same tables and
 * columns: {@code SchemaParityTest} compares them).
 *
 * <p>Thread-safety: every access goes through {@link #read}, {@link #write} or {@link #readSeparately}.
 * <ul>
 *   <li>SQLite: one JDBC connection shared by every store, guarded by this object's monitor, so callers are
 *       serialised; WAL mode lets {@link #readSeparately} read a snapshot on a connection of its own.</li>
 *   <li>PostgreSQL: a small pool (HikariCP, {@code database.pool-size}); each call borrows a connection. Work
 *       that must be serialised across the whole cluster takes a {@link Lock} inside its transaction.</li>
 * </ul>
 * Callers are the API's worker threads and the server's start-up, never a Netty event loop (the database is
 * blocking I/O). {@link #write} runs its work in a transaction: all or nothing.
 *
 * <p>Nothing read from the database is cached in this process: what one node writes is what every node reads at
 * its next call (users, rights, holds are in force cluster-wide as soon as they are committed).
 */
public final class Database implements AutoCloseable {

    /** Which database this is; names the folder of its migrations. */
    public enum Kind {
        SQLITE("sqlite"), POSTGRESQL("postgresql");

        private final String folder;

        Kind(String folder) {
            this.folder = folder;
        }

        /** Where its Flyway migrations are. */
        public String migrations() {
            return "classpath:db/migration/" + folder;
        }
    }

    /**
     * Sections serialised for the whole cluster, each with its own PostgreSQL advisory lock key (a transaction
     * lock: released at commit or rollback). On SQLite the one connection already serialises every write.
     */
    public enum Lock {
        /** Appending to the audit trail: one hash chain, so one appender at a time. */
        AUDIT_CHAIN(0x56494749_00000001L),
        /** Numbering legal holds (H000001...). */
        HOLDS(0x56494749_00000002L),
        /** Numbering the versions of privacy masks (issue 14): one next version per camera. */
        PRIVACY_MASKS(0x56494749_00000003L);

        private final long key;

        Lock(long key) {
            this.key = key;
        }
    }

    private final Kind kind;
    private final String description;
    private final Path path;
    private final Connection shared;
    private final HikariDataSource pool;

    private Database(Kind kind, String description, Path path, Connection shared, HikariDataSource pool) {
        this.kind = kind;
        this.description = description;
        this.path = path;
        this.shared = shared;
        this.pool = pool;
    }

    /** Opens the configured database: PostgreSQL when {@code database.url} is set, else the SQLite file. */
    public static Database open(DatabaseConfig config) throws IOException {
        return config.url() == null ? open(config.path())
                : openPostgres(config.url(), config.username(), config.password(), config.poolSize());
    }

    /** Opens (creating if needed) the SQLite file and applies the pending migrations. */
    public static Database open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String url = "jdbc:sqlite:" + path;
        try {
            Connection c = DriverManager.getConnection(url);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=FULL");
                    s.execute("PRAGMA foreign_keys=ON");
                    s.execute("PRAGMA busy_timeout=5000");
                }
                SQLiteDataSource ds = new SQLiteDataSource(sqliteConfig(false));
                ds.setUrl(url);
                migrate(Kind.SQLITE, ds, legacyVersion(c));
            } catch (SQLException | FlywayException | IOException e) {
                c.close();
                throw e;
            }
            return new Database(Kind.SQLITE, path.toString(), path, c, null);
        } catch (SQLException | FlywayException e) {
            throw new IOException("cannot open database " + path + ": " + e.getMessage(), e);
        }
    }

    /** Connects to a PostgreSQL database (which must exist) and applies the pending migrations. */
    public static Database openPostgres(String url, String username, String password, int poolSize)
            throws IOException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(username);
        hc.setPassword(password);
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setPoolName("vigie-db");
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to database " + url + ": " + rootMessage(e), e);
        }
        try {
            migrate(Kind.POSTGRESQL, pool, 0);
        } catch (FlywayException | IOException e) {
            pool.close();
            throw new IOException("cannot migrate database " + url + ": " + rootMessage(e), e);
        }
        return new Database(Kind.POSTGRESQL, url, null, null, pool);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /**
     * Schema versions 1-5 were applied before Flyway by numbered scripts recording SQLite's {@code user_version}; such
     * a file is taken over at that version (Flyway's baseline) and only later versions run.
     */
    private static int legacyVersion(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, "flyway_schema_history", null)) {
            if (rs.next()) return 0;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private static void migrate(Kind kind, DataSource ds, int legacyVersion) throws IOException {
        var config = Flyway.configure(Database.class.getClassLoader())
                .dataSource(ds)
                .loggers("slf4j") // the server's logging (not java.util.logging on stderr), whatever is on the path
                .locations(kind.migrations())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true);
        if (legacyVersion > 0) {
            config = config.baselineOnMigrate(true).baselineVersion(MigrationVersion.fromVersion(
                    Integer.toString(legacyVersion))).baselineDescription("schema of the numbered migrations");
        }
        config.load().migrate();
    }

    private static SQLiteConfig sqliteConfig(boolean readOnly) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(readOnly);
        cfg.setBusyTimeout(5000);
        cfg.enforceForeignKeys(true);
        return cfg;
    }

    public Kind kind() {
        return kind;
    }

    /** The SQLite file, or null for PostgreSQL. */
    public Path path() {
        return path;
    }

    /** The file or the JDBC URL (never a password), for messages. */
    public String description() {
        return description;
    }

    /** The schema version Flyway applied last (e.g. "4"). */
    public String version() throws SQLException {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM flyway_schema_history "
                    + "WHERE success = ? AND version IS NOT NULL ORDER BY installed_rank DESC")) {
                ps.setBoolean(1, true);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "0";
                }
            }
        });
    }

    /** Whether the database answers a trivial query (the health check). */
    public boolean answers() {
        try {
            return read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }

    /** Runs read-only work, outside any transaction. */
    public <T> T read(Work<T> work) throws SQLException {
        if (pool == null) {
            synchronized (this) {
                return work.run(shared);
            }
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    /**
     * Runs read-only work on a connection of its own, in one read-only transaction that sees a consistent snapshot
     * while writers go on. For long reads (verifying the whole audit chain) that must not hold up the API, the
     * audit appends or the watchdog's health check.
     */
    public <T> T readSeparately(Work<T> work) throws SQLException {
        if (pool == null) {
            return readOnly(path, work);
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Runs read-only work on a read-only connection of its own to the SQLite file at {@code path}, in one
     * transaction, without opening (creating, migrating) the database: for readers outside the server, such as
     * {@code vms jvm-options}, which may run while the server holds it.
     */
    public static <T> T readOnly(Path path, Work<T> work) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, sqliteConfig(true).toProperties())) {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    /** Runs work in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(Work<T> work) throws SQLException {
        if (pool == null) {
            synchronized (this) {
                return transaction(shared, work);
            }
        }
        try (Connection c = pool.getConnection()) {
            return transaction(c, work);
        }
    }

    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Inside {@link #write}'s work: waits until no other transaction, on any node, holds {@code lock}; holds it
     * until this transaction ends.
     */
    public void lock(Connection c, Lock lock) throws SQLException {
        if (kind == Kind.SQLITE) {
            return; // the shared connection's monitor already serialises every write of the only process
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, lock.key);
            ps.execute();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            return;
        }
        synchronized (this) {
            try {
                shared.close();
            } catch (SQLException e) {
                // closing: nothing left to protect
            }
        }
    }

    /** Work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
