package org.vigie.server.config;

import java.nio.file.Path;

/**
 * The {@code database} section: the embedded SQLite file holding cameras added through the API, users, tokens, API
 * keys, events, bookmarks and the audit trail.
 *
 * @param path the database file; when the key is empty, {@code <storage.path>/vms.db}
 */
public record DatabaseConfig(Path path) {

    static DatabaseConfig read(ConfigNode n, StorageConfig storage) throws ConfigException {
        String p = n.string("path", "");
        n.finish();
        return new DatabaseConfig(p.isEmpty() ? storage.path().resolve("vms.db") : Path.of(p));
    }
}
