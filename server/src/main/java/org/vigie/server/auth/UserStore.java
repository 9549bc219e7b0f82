package org.vigie.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.vigie.server.store.Database;

/**
 * The users, their session tokens and API keys in the database. Tokens and keys are stored as SHA-256 hashes only.
 * Thread-safe through {@link Database}.
 */
public final class UserStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /**
     * Inserts a user; false when the name is taken, also by a node of the cluster inserting it at the same moment
     * (the check and the insert are one statement: two nodes starting together on an empty PostgreSQL both created
     * the first administrator, and the second failed to start on a duplicate key).
     */
    public boolean create(UserRecord u, long nowMillis) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (username, role, password_hash, "
                    + "cameras, groups_, created, unmask, unmask_groups) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (username) DO NOTHING")) {
                ps.setString(1, u.username());
                ps.setString(2, u.role().name());
                ps.setString(3, u.passwordHash());
                ps.setString(4, json(u.cameras()));
                ps.setString(5, json(u.groups()));
                ps.setLong(6, nowMillis);
                ps.setString(7, json(u.unmask()));
                ps.setString(8, json(u.unmaskGroups()));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Replaces role, grants and (when not null) the password hash, a new password revoking the user's tokens and API
     * keys in the same transaction; false when there is no such user.
     */
    public boolean update(String username, Role role, Set<String> cameras, Set<String> groups, String passwordHash)
            throws SQLException {
        return update(username, role, cameras, groups, null, null, passwordHash);
    }

    /** {@link #update(String, Role, Set, Set, String)}, also replacing the {@code unmask} grant when not null. */
    public boolean update(String username, Role role, Set<String> cameras, Set<String> groups, Set<String> unmask,
                          String passwordHash) throws SQLException {
        return update(username, role, cameras, groups, unmask, null, passwordHash);
    }

    /**
     * {@link #update(String, Role, Set, Set, String)}, also replacing the {@code unmask} grants (by camera id, by
     * camera group) each when not null.
     */
    public boolean update(String username, Role role, Set<String> cameras, Set<String> groups, Set<String> unmask,
                          Set<String> unmaskGroups, String passwordHash) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET role = ?, cameras = ?, groups_ = ?, "
                    + "unmask = COALESCE(?, unmask), unmask_groups = COALESCE(?, unmask_groups), "
                    + "password_hash = COALESCE(?, password_hash) WHERE username = ?")) {
                ps.setString(1, role.name());
                ps.setString(2, json(cameras));
                ps.setString(3, json(groups));
                ps.setString(4, unmask == null ? null : json(unmask));
                ps.setString(5, unmaskGroups == null ? null : json(unmaskGroups));
                ps.setString(6, passwordHash);
                ps.setString(7, username);
                if (ps.executeUpdate() == 0) return false;
            }
            if (passwordHash != null) { // a new password ends every session and key of the old one
                for (String table : new String[] {"tokens", "api_keys"}) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE username = ?")) {
                        ps.setString(1, username);
                        ps.executeUpdate();
                    }
                }
            }
            return true;
        });
    }

    public boolean delete(String username) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                ps.setString(1, username);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<UserRecord> find(String username) throws SQLException {
        return db.read(c -> find(c, username));
    }

    public List<UserRecord> list() throws SQLException {
        return db.read(c -> {
            List<UserRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        });
    }

    public boolean anyAdministrator() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE role = ? LIMIT 1")) {
                ps.setString(1, Role.ADMINISTRATOR.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * Counts one failed login atomically (one {@code UPDATE}, whatever the concurrent attempts): the count restarts
     * at 1 when the previous failure is older than {@code windowMillis}; reaching {@code maxFailures} locks the
     * account until {@code lockUntil} and restarts the count.
     *
     * @return whether this failure locked the account
     */
    public boolean countFailure(String username, long nowMillis, long windowMillis, int maxFailures, long lockUntil)
            throws SQLException {
        String inWindow = "(failures > 0 AND ? - first_failure < ?)";
        String count = "(CASE WHEN " + inWindow + " THEN failures + 1 ELSE 1 END)";
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET "
                    + "locked_until = CASE WHEN " + count + " >= ? THEN ? ELSE locked_until END, "
                    + "first_failure = CASE WHEN " + count + " >= ? THEN 0 WHEN " + inWindow
                    + " THEN first_failure ELSE ? END, "
                    + "failures = CASE WHEN " + count + " >= ? THEN 0 ELSE " + count + " END "
                    + "WHERE username = ?")) {
                int i = 1;
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, windowMillis);
                ps.setInt(i++, maxFailures);
                ps.setLong(i++, lockUntil);
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, windowMillis);
                ps.setInt(i++, maxFailures);
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, windowMillis);
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, windowMillis);
                ps.setInt(i++, maxFailures);
                ps.setLong(i++, nowMillis);
                ps.setLong(i++, windowMillis);
                ps.setString(i, username);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT locked_until FROM users WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) == lockUntil;
                }
            }
        });
    }

    /** Stores the lock-out state after a login attempt. */
    public void setLockState(String username, int failures, long firstFailure, long lockedUntil) throws SQLException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET failures = ?, first_failure = ?, locked_until = ? WHERE username = ?")) {
                ps.setInt(1, failures);
                ps.setLong(2, firstFailure);
                ps.setLong(3, lockedUntil);
                ps.setString(4, username);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Stores a token hash, and forgets the tokens that expired before {@code nowMillis}. */
    public void addToken(String hash, String username, long expiresMillis, long nowMillis) throws SQLException {
        db.write(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM tokens WHERE expires <= ?")) {
                del.setLong(1, nowMillis);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (hash, username, expires) VALUES (?, ?, ?)")) {
                ps.setString(1, hash);
                ps.setString(2, username);
                ps.setLong(3, expiresMillis);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The user of a token that has not expired at {@code nowMillis}. */
    public Optional<UserRecord> findByToken(String hash, long nowMillis) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT username FROM tokens WHERE hash = ? AND expires > ?")) {
                ps.setString(1, hash);
                ps.setLong(2, nowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? find(c, rs.getString(1)) : Optional.<UserRecord>empty();
                }
            }
        });
    }

    public boolean deleteToken(String hash) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE hash = ?")) {
                ps.setString(1, hash);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public void addApiKey(String hash, String id, String username, String name, long nowMillis) throws SQLException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (hash, id, username, name, created) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash);
                ps.setString(2, id);
                ps.setString(3, username);
                ps.setString(4, name);
                ps.setLong(5, nowMillis);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<UserRecord> findByApiKey(String hash) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT username FROM api_keys WHERE hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? find(c, rs.getString(1)) : Optional.<UserRecord>empty();
                }
            }
        });
    }

    /** The API keys of a user as (id, name, created epoch ms); never the key. */
    public List<ApiKeyInfo> apiKeys(String username) throws SQLException {
        return db.read(c -> {
            List<ApiKeyInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, created FROM api_keys WHERE username = ? ORDER BY created")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new ApiKeyInfo(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    public boolean deleteApiKey(String username, String id) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_keys WHERE username = ? AND id = ?")) {
                ps.setString(1, username);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** An API key as listed: never the key itself. */
    public record ApiKeyInfo(String id, String name, long createdMillis) {
    }

    private static Optional<UserRecord> find(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static UserRecord row(ResultSet rs) throws SQLException {
        return new UserRecord(rs.getString("username"), Role.valueOf(rs.getString("role")),
                set(rs.getString("cameras")), set(rs.getString("groups_")), rs.getString("password_hash"),
                rs.getInt("failures"), rs.getLong("first_failure"), rs.getLong("locked_until"),
                set(rs.getString("unmask")), set(rs.getString("unmask_groups")));
    }

    private static String json(Set<String> s) throws SQLException {
        try {
            return JSON.writeValueAsString(new TreeSet<>(s));
        } catch (JsonProcessingException e) {
            throw new SQLException(e);
        }
    }

    private static Set<String> set(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Set<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt grant list: " + e.getMessage(), e);
        }
    }
}
