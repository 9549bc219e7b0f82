package org.vigie.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.TimeSpan;

/**
 * The span catalogue of the shared store (issue 13): which node holds which camera's recorded spans. A row is one
 * continuous span of one stream on one node ({@code node_id, camera, stream, start_us, end_us}, epoch microseconds);
 * its end is moved forward while the node goes on recording it ({@link #extend}), so a node writes a row per
 * recording run, not per segment. Each node writes only its own rows. Thread-safe through {@link Database}.
 */
public final class SpanCatalogue {

    /** One catalogued span: {@code node} holds {@code [start, end)} of the stream. */
    public record Entry(String node, Instant start, Instant end) {
    }

    private final Database db;

    public SpanCatalogue(Database db) {
        this.db = db;
    }

    /** Replaces every row of {@code node} for the stream by {@code spans} (a full pass: start-up, after retention). */
    public void replace(String node, StreamKey key, List<TimeSpan> spans) throws SQLException {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM span_catalogue WHERE node_id = ? AND camera = ? AND stream = ?")) {
                ps.setString(1, node);
                ps.setString(2, key.cameraId());
                ps.setString(3, key.stream());
                ps.executeUpdate();
            }
            for (TimeSpan s : spans) insert(c, node, key, s);
            return null;
        });
    }

    /**
     * Sets the end of the row of {@code node} that starts at {@code span.start()} (the run goes on), creating the row
     * when there is none (a new run).
     */
    public void extend(String node, StreamKey key, TimeSpan span) throws SQLException {
        extendAll(node, List.of(new Run(key, span)));
    }

    /** A run of a stream, as {@link #extendAll} writes it. */
    public record Run(StreamKey key, TimeSpan span) {
    }

    /** {@link #extend} of several runs in one transaction (a pass of the writer over every camera of the node). */
    public void extendAll(String node, List<Run> runs) throws SQLException {
        if (runs.isEmpty()) return;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE span_catalogue SET end_us = ? "
                    + "WHERE node_id = ? AND camera = ? AND stream = ? AND start_us = ?")) {
                for (Run r : runs) {
                    ps.setLong(1, micros(r.span().end()));
                    ps.setString(2, node);
                    ps.setString(3, r.key().cameraId());
                    ps.setString(4, r.key().stream());
                    ps.setLong(5, micros(r.span().start()));
                    if (ps.executeUpdate() == 0) insert(c, node, r.key(), r.span());
                }
            }
            return null;
        });
    }

    /** Every node's spans of the stream that intersect {@code [from, to)}, by start, unclipped. */
    public List<Entry> overlapping(StreamKey key, Instant from, Instant to) throws SQLException {
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT node_id, start_us, end_us FROM span_catalogue "
                    + "WHERE camera = ? AND stream = ? AND end_us > ? AND start_us < ? ORDER BY start_us, node_id")) {
                ps.setString(1, key.cameraId());
                ps.setString(2, key.stream());
                ps.setLong(3, micros(from));
                ps.setLong(4, micros(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getString(1), instant(rs.getLong(2)), instant(rs.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    private static void insert(Connection c, String node, StreamKey key, TimeSpan s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO span_catalogue "
                + "(node_id, camera, stream, start_us, end_us) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, node);
            ps.setString(2, key.cameraId());
            ps.setString(3, key.stream());
            ps.setLong(4, micros(s.start()));
            ps.setLong(5, micros(s.end()));
            ps.executeUpdate();
        }
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
