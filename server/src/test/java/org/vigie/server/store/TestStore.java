package org.vigie.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One store under test, on either database: a SQLite file in the test's folder, or a database of its own in the
 * JVM's {@link ThrowawayPostgres}. {@link #open()} may be called again (a restart, or a second node on the same
 * store); {@link #raw()} is a connection beside the store's, as a DBA or an attacker with the database's password
 * would have.
 */
public final class TestStore {

    private final Database.Kind kind;
    private final Path file;
    private final String pgName;

    private TestStore(Database.Kind kind, Path file, String pgName) {
        this.kind = kind;
        this.file = file;
        this.pgName = pgName;
    }

    /** A new, empty store of that kind. */
    public static TestStore of(Database.Kind kind, Path dir) {
        try {
            return kind == Database.Kind.SQLITE ? new TestStore(kind, dir.resolve("vms.db"), null)
                    : new TestStore(kind, null, ThrowawayPostgres.shared().createDatabase());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Database.Kind kind() {
        return kind;
    }

    public Database open() throws IOException {
        return kind == Database.Kind.SQLITE ? Database.open(file) : ThrowawayPostgres.shared().open(pgName);
    }

    public Connection raw() throws SQLException {
        try {
            return kind == Database.Kind.SQLITE ? DriverManager.getConnection("jdbc:sqlite:" + file)
                    : DriverManager.getConnection(ThrowawayPostgres.shared().url(pgName), ThrowawayPostgres.USER, "");
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    /** The {@code database:} section of a configuration file naming this store. */
    public String databaseYaml() {
        try {
            return kind == Database.Kind.SQLITE ? "database: { path: '" + file + "' }\n"
                    : "database: { url: '" + ThrowawayPostgres.shared().url(pgName) + "', username: "
                    + ThrowawayPostgres.USER + " }\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the triggers that keep the audit trail append-only, as an attacker would first. */
    public void dropAuditTriggers(Statement s) throws SQLException {
        if (kind == Database.Kind.SQLITE) {
            s.execute("DROP TRIGGER audit_no_update");
            s.execute("DROP TRIGGER audit_no_delete");
        } else {
            s.execute("DROP TRIGGER audit_no_update ON audit");
            s.execute("DROP TRIGGER audit_no_delete ON audit");
            s.execute("DROP TRIGGER audit_no_truncate ON audit");
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase();
    }
}
