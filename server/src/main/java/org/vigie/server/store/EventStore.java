package org.vigie.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.vigie.camera.CameraEvent;

/**
 * Camera events (motion, tampering...) for archive search. {@link #append} is the entry point of the ONVIF event
 * subscriptions; it blocks on the database, so call it from their own threads, never an event loop.
 * Thread-safe through {@link Database}.
 */
public final class EventStore {

    private final Database db;

    public EventStore(Database db) {
        this.db = db;
    }

    /** A stored event. */
    public record StoredEvent(long id, String camera, Instant time, CameraEvent.Type type, String topic,
                              boolean active, String source) {
    }

    public long append(CameraEvent e) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (camera, time, type, topic, active, "
                    + "source, data) VALUES (?, ?, ?, ?, ?, ?, ?)", PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, e.cameraId());
                ps.setLong(2, e.utcTime().toEpochMilli());
                ps.setString(3, e.type().name());
                ps.setString(4, e.topic());
                ps.setInt(5, e.active() ? 1 : 0);
                ps.setString(6, e.source());
                ps.setString(7, e.rawData());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Events of the given cameras (all cameras when {@code cameras} is null) in [from, to), of {@code type} when not
     * null, newest first, at most {@code limit}.
     */
    public List<StoredEvent> search(Collection<String> cameras, Instant from, Instant to, CameraEvent.Type type,
                                    int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, camera, time, type, topic, active, source FROM events WHERE time >= ? AND time < ?");
        List<Object> args = new ArrayList<>(List.of(from.toEpochMilli(), to.toEpochMilli()));
        if (cameras != null) {
            if (cameras.isEmpty()) return List.of();
            sql.append(" AND camera IN (").append("?,".repeat(cameras.size() - 1)).append("?)");
            args.addAll(cameras);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type.name());
        }
        sql.append(" ORDER BY time DESC, id DESC LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<StoredEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEvent(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                CameraEvent.Type.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6) != 0,
                                rs.getString(7)));
                    }
                }
                return out;
            }
        });
    }
}
