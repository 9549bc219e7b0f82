package org.vigie.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The operators' saved video-wall layouts: a name, a grid ({@code 2x2}, {@code 1+7}...), the camera of each tile
 * (null for an empty tile), the owner, and the group it is shared with (null: private). Thread-safe through
 * {@link Database}. The rules (who may see, change, share) are the API's ({@code LayoutResource}).
 */
public final class LayoutStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> CAMERAS = new TypeReference<>() {
    };

    private final Database db;

    public LayoutStore(Database db) {
        this.db = db;
    }

    /** A saved layout. {@code cameras} has one entry per tile, null for an empty one. */
    public record Layout(long id, String name, String owner, String group, String layout, List<String> cameras,
                         Instant created, Instant updated) {
        public Layout {
            cameras = java.util.Collections.unmodifiableList(new ArrayList<>(cameras));
        }
    }

    public Layout create(String owner, String name, String group, String layout, List<String> cameras, Instant now)
            throws SQLException {
        long id = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO layouts (name, owner, group_, layout, cameras, "
                    + "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)", PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, owner);
                ps.setString(3, group);
                ps.setString(4, layout);
                ps.setString(5, json(cameras));
                ps.setLong(6, now.toEpochMilli());
                ps.setLong(7, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Layout(id, name, owner, group, layout, cameras, now, now);
    }

    /** Replaces a layout's content (not its owner); empty when it does not exist. */
    public Optional<Layout> update(long id, String name, String group, String layout, List<String> cameras, Instant now)
            throws SQLException {
        boolean found = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE layouts SET name = ?, group_ = ?, layout = ?, "
                    + "cameras = ?, updated = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, group);
                ps.setString(3, layout);
                ps.setString(4, json(cameras));
                ps.setLong(5, now.toEpochMilli());
                ps.setLong(6, id);
                return ps.executeUpdate() > 0;
            }
        });
        return found ? get(id) : Optional.empty();
    }

    public Optional<Layout> get(long id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM layouts WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Layout>empty();
                }
            }
        });
    }

    public boolean delete(long id) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM layouts WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * The layouts owned by {@code owner} or shared with one of {@code groups} (every layout when {@code groups} is
     * null), by name.
     */
    public List<Layout> visibleTo(String owner, Collection<String> groups) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM layouts");
        List<Object> args = new ArrayList<>();
        if (groups != null) {
            sql.append(" WHERE owner = ?");
            args.add(owner);
            if (!groups.isEmpty()) {
                sql.append(" OR group_ IN (").append("?,".repeat(groups.size() - 1)).append("?)");
                args.addAll(groups);
            }
        }
        sql.append(" ORDER BY name, id");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<Layout> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    private static String json(List<String> cameras) {
        try {
            return JSON.writeValueAsString(cameras);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Layout row(ResultSet rs) throws SQLException {
        List<String> cameras;
        try {
            cameras = JSON.readValue(rs.getString("cameras"), CAMERAS);
        } catch (JsonProcessingException e) {
            throw new SQLException("layout " + rs.getLong("id") + ": unreadable cameras column", e);
        }
        return new Layout(rs.getLong("id"), rs.getString("name"), rs.getString("owner"), rs.getString("group_"),
                rs.getString("layout"), cameras, Instant.ofEpochMilli(rs.getLong("created")),
                Instant.ofEpochMilli(rs.getLong("updated")));
    }
}
