package org.vigie.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Operators' bookmarks on recordings: (camera, time, duration, title, author). Thread-safe through {@link Database}. */
public final class BookmarkStore {

    private final Database db;

    public BookmarkStore(Database db) {
        this.db = db;
    }

    /** A bookmark. */
    public record Bookmark(long id, String camera, Instant time, Duration duration, String title, String createdBy,
                           Instant created) {
    }

    public Bookmark add(String camera, Instant time, Duration duration, String title, String createdBy, Instant now)
            throws SQLException {
        long id = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bookmarks (camera, time, duration_ms, title, "
                    + "created_by, created) VALUES (?, ?, ?, ?, ?, ?)", PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, camera);
                ps.setLong(2, time.toEpochMilli());
                ps.setLong(3, duration.toMillis());
                ps.setString(4, title);
                ps.setString(5, createdBy);
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Bookmark(id, camera, time, duration, title, createdBy, now);
    }

    public Optional<Bookmark> get(long id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM bookmarks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Bookmark>empty();
                }
            }
        });
    }

    public boolean delete(long id) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bookmarks WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Bookmarks of the given cameras (null: all) in [from, to), oldest first, at most {@code limit}. */
    public List<Bookmark> search(Collection<String> cameras, Instant from, Instant to, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM bookmarks WHERE time >= ? AND time < ?");
        List<Object> args = new ArrayList<>(List.of(from.toEpochMilli(), to.toEpochMilli()));
        if (cameras != null) {
            if (cameras.isEmpty()) return List.of();
            sql.append(" AND camera IN (").append("?,".repeat(cameras.size() - 1)).append("?)");
            args.addAll(cameras);
        }
        sql.append(" ORDER BY time, id LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<Bookmark> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    private static Bookmark row(ResultSet rs) throws SQLException {
        return new Bookmark(rs.getLong("id"), rs.getString("camera"), Instant.ofEpochMilli(rs.getLong("time")),
                Duration.ofMillis(rs.getLong("duration_ms")), rs.getString("title"), rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created")));
    }
}
