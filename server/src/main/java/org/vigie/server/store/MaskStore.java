package org.vigie.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;

/**
 * Every version of each camera's privacy masks (issue 14): a change never overwrites, it adds the next version
 * (1, 2, ...) with the instant from which it is in force and the user who made it; a version is in force until the
 * next one. A camera without a row has {@link MaskSet#NONE} (version 0). Thread-safe through {@link Database}.
 *
 * <p>Row format: {@code masks} is the JSON array of {@link #toJson}: {@code [{"id", "kind": "permanent" |
 * "liftable", "polygon": [[x, y], ...]}]}, coordinates relative to the picture (0..1).
 */
public final class MaskStore {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    public MaskStore(Database db) {
        this.db = db;
    }

    /** One version of a camera's masks, as kept. */
    public record Version(String camera, MaskSet masks, Instant validFrom, String changedBy) {
    }

    /** The camera's masks in force now (its last version), {@link MaskSet#NONE} when it never had any. */
    public MaskSet current(String camera) throws SQLException {
        return db.read(c -> last(c, camera)).map(Version::masks).orElse(MaskSet.NONE);
    }

    /** The last version of every camera that has one. */
    public Map<String, MaskSet> currentAll() throws SQLException {
        return db.read(c -> {
            Map<String, MaskSet> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT p.camera, p.version, p.masks FROM privacy_masks p "
                    + "WHERE p.version = (SELECT MAX(q.version) FROM privacy_masks q WHERE q.camera = p.camera)");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new MaskSet(rs.getLong(2), fromJson(rs.getString(3))));
                }
            }
            return out;
        });
    }

    /** Every version of the camera's masks, oldest first. */
    public List<Version> history(String camera) throws SQLException {
        return db.read(c -> {
            List<Version> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT version, valid_from_us, changed_by, masks "
                    + "FROM privacy_masks WHERE camera = ? ORDER BY version")) {
                ps.setString(1, camera);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(camera, rs));
                }
            }
            return out;
        });
    }

    /**
     * Adds the next version of the camera's masks, in force from {@code now}, in one transaction with reading the
     * one it replaces.
     *
     * @return the version replaced (version 0 when none) and the new one
     */
    public Change replace(String camera, List<PrivacyMask> masks, String user, Instant now) throws SQLException {
        return db.write(c -> {
            db.lock(c, Database.Lock.PRIVACY_MASKS); // a cluster's nodes number the versions one at a time
            Version before = last(c, camera).orElse(new Version(camera, MaskSet.NONE, null, null));
            MaskSet next = new MaskSet(before.masks().version() + 1, masks);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO privacy_masks (camera, version, valid_from_us, "
                    + "changed_by, masks) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, camera);
                ps.setLong(2, next.version());
                ps.setLong(3, micros(now));
                ps.setString(4, user);
                ps.setString(5, toJson(next.masks()).toString());
                ps.executeUpdate();
            }
            return new Change(before, new Version(camera, next, now, user));
        });
    }

    /** A replacement: the version before and the one after. */
    public record Change(Version before, Version after) {
    }

    private static Optional<Version> last(Connection c, String camera) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, valid_from_us, changed_by, masks "
                + "FROM privacy_masks WHERE camera = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, camera);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(camera, rs)) : Optional.empty();
            }
        }
    }

    private static Version row(String camera, ResultSet rs) throws SQLException {
        return new Version(camera, new MaskSet(rs.getLong("version"), fromJson(rs.getString("masks"))),
                instant(rs.getLong("valid_from_us")), rs.getString("changed_by"));
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** The masks as the API and the store write them. */
    public static ArrayNode toJson(List<PrivacyMask> masks) {
        ArrayNode a = JSON.createArrayNode();
        for (PrivacyMask m : masks) {
            ObjectNode o = a.addObject();
            o.put("id", m.id());
            o.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode poly = o.putArray("polygon");
            for (PrivacyMask.Point p : m.polygon()) {
                poly.addArray().add(p.x()).add(p.y());
            }
        }
        return a;
    }

    private static List<PrivacyMask> fromJson(String json) throws SQLException {
        try {
            List<PrivacyMask> out = new ArrayList<>();
            for (JsonNode m : JSON.readTree(json)) {
                List<PrivacyMask.Point> poly = new ArrayList<>();
                for (JsonNode p : m.get("polygon")) {
                    poly.add(new PrivacyMask.Point(p.get(0).asDouble(), p.get(1).asDouble()));
                }
                out.add(new PrivacyMask(m.get("id").asText(),
                        PrivacyMask.Kind.valueOf(m.get("kind").asText().toUpperCase(Locale.ROOT)), poly));
            }
            return out;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SQLException("corrupt privacy masks: " + e.getMessage(), e);
        }
    }
}
