package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One schema on two databases: the migrations of each have the same versions and names, and once applied the
 * two databases have the same tables, with the same columns, nullability and primary keys. A migration written
 * for one database and forgotten for the other fails here.
 */
class SchemaParityTest {

    @TempDir
    Path dir;

    @Test
    void bothDatabasesHaveTheSameMigrations() throws Exception {
        assertThat(scripts("postgresql")).isEqualTo(scripts("sqlite")).isNotEmpty();
    }

    private static Set<String> scripts(String folder) throws IOException, URISyntaxException {
        Path p = Path.of(SchemaParityTest.class.getResource("/db/migration/" + folder).toURI());
        try (Stream<Path> files = Files.list(p)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void bothDatabasesHaveTheSameTablesColumnsAndKeys() throws Exception {
        Map<String, String> sqlite;
        Map<String, String> postgres;
        try (Database db = TestStore.of(Database.Kind.SQLITE, dir).open()) {
            sqlite = shape(db);
        }
        try (Database db = TestStore.of(Database.Kind.POSTGRESQL, dir).open()) {
            postgres = shape(db);
        }
        assertThat(postgres).isEqualTo(sqlite);
        assertThat(sqlite).containsKeys("users", "audit", "legal_holds", "register");
    }

    /** table -> its columns (name, nullable) and primary key, Flyway's own table left out. */
    private static Map<String, String> shape(Database db) throws SQLException {
        return db.read(c -> {
            DatabaseMetaData md = c.getMetaData();
            Map<String, String> out = new TreeMap<>();
            String schema = db.kind() == Database.Kind.POSTGRESQL ? "public" : null;
            try (ResultSet tables = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (tables.next()) {
                    String t = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (t.startsWith("flyway_") || t.startsWith("sqlite_")) continue;
                    out.put(t, "");
                }
            }
            for (String t : out.keySet()) {
                Set<String> keys = new TreeSet<>();
                try (ResultSet pk = md.getPrimaryKeys(null, schema, t)) {
                    while (pk.next()) keys.add(pk.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
                Set<String> columns = new TreeSet<>();
                try (ResultSet cols = md.getColumns(null, schema, t, "%")) {
                    while (cols.next()) {
                        String name = cols.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                        // SQLite reports a TEXT primary key as nullable (one of its quirks): keys are compared as keys
                        boolean notNull = cols.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
                        columns.add(name + (keys.contains(name) ? "" : notNull ? " not null" : ""));
                    }
                }
                out.put(t, columns + " key " + keys);
            }
            return out;
        });
    }
}
