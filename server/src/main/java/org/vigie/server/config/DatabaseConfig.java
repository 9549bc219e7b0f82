package org.vigie.server.config;

import java.nio.file.Path;

/**
 * The {@code database} section: where the store lives (cameras added through the API, users, tokens, API keys,
 * events, bookmarks, legal holds, the register of recordings and the audit trail). A single node embeds a SQLite
 * file; the nodes of a cluster share a PostgreSQL database.
 *
 * @param path     the SQLite file; when the key is empty, {@code <storage.path>/vms.db}. Unused when {@code url} is set
 * @param url      a {@code jdbc:postgresql://} URL, or null for the embedded SQLite file
 * @param username PostgreSQL user (null: the driver's default)
 * @param password PostgreSQL password, a secret never printed (null: none, e.g. peer or certificate authentication)
 * @param poolSize at most this many connections to PostgreSQL per node
 */
public record DatabaseConfig(Path path, String url, String username, String password, int poolSize) {

    /** The embedded SQLite file at {@code path}. */
    public DatabaseConfig(Path path) {
        this(path, null, null, null, 8);
    }

    static DatabaseConfig read(ConfigNode n, StorageConfig storage) throws ConfigException {
        String p = n.string("path", "");
        String url = n.string("url", "").trim();
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(n.keyPath("url"), "must be a jdbc:postgresql:// URL (empty: the embedded SQLite "
                    + "file), got '" + url + "'");
        }
        String username = n.string("username", "");
        String password = n.string("password", "");
        int poolSize = n.integer("pool-size", 8, 2, 64);
        n.finish();
        return new DatabaseConfig(p.isEmpty() ? storage.path().resolve("vms.db") : Path.of(p),
                url.isEmpty() ? null : url, username.isEmpty() ? null : username,
                password.isEmpty() ? null : password, poolSize);
    }

    /** Whether this is the shared PostgreSQL database. */
    public boolean shared() {
        return url != null;
    }

    /** Where the store is, for messages: never the password. */
    public String describe() {
        return url != null ? url : path.toString();
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + describe() + (username != null ? " as " + username : "") + "]";
    }
}
