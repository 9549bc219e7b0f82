package org.vigie.server.store;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.storage.DeletionMark;

/**
 * The register of recordings in the store. Each node writes the destructions of its own disks and the exports it
 * serves, under its node id ({@code ""} on a single node); every node's {@link #query} lists the whole cluster's
 * entries. A destruction heard twice (after a crash) is stored once: (node, id) is the key.
 */
public final class RegisterStore implements RecordingRegister {

    private final Database db;
    private final InstantSource clock;
    private final String node;

    /**
     * @param node this node's id in a cluster, {@code ""} on a single node
     */
    public RegisterStore(Database db, InstantSource clock, String node) {
        this.db = db;
        this.clock = clock;
        this.node = node;
    }

    @Override
    public void destroyed(DeletionMark mark) throws IOException {
        add(new RegisterEntry(mark.id(), RegisterEntry.Kind.DESTRUCTION, mark.at(), mark.key().cameraId(),
                mark.key().stream(), Times.instant(mark.startMicros()), Times.instant(mark.endMicros()), mark.cause(),
                SYSTEM, null, null, mark.segments().size(), mark.bytes()));
    }

    @Override
    public RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from,
                                      Instant to, String actor, String recipient, String caseNumber, long bytes)
            throws IOException {
        return record(kind, cameraId, stream, from, to, actor, recipient, caseNumber, bytes, null);
    }

    @Override
    public RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from,
                                      Instant to, String actor, String recipient, String caseNumber, long bytes,
                                      long maskVersion) throws IOException {
        return record(kind, cameraId, stream, from, to, actor, recipient, caseNumber, bytes, maskVersion);
    }

    private RegisterEntry record(RegisterEntry.Kind kind, String cameraId, String stream, Instant from, Instant to,
                                 String actor, String recipient, String caseNumber, long bytes, Long maskVersion)
            throws IOException {
        if (kind == RegisterEntry.Kind.DESTRUCTION) {
            throw new IllegalArgumentException("destructions are recorded by the deleter");
        }
        Instant now = Times.truncate(clock.instant());
        Instant f = Times.truncate(from);
        Instant t = Times.truncate(to);
        // The same window the same day has the same id: a repeat (another byte range of one export) is not stored
        // again (ON CONFLICT below).
        RegisterEntry e = new RegisterEntry(
                RecordingRegister.exportId(kind, cameraId, stream, f, t, actor, recipient, caseNumber, maskVersion,
                        now),
                kind, now, cameraId, stream, f, t, null, actor, recipient, caseNumber, 0, bytes, maskVersion);
        add(e);
        return e;
    }

    private static Long maskVersion(ResultSet rs) throws SQLException {
        long v = rs.getLong("mask_version");
        return rs.wasNull() ? null : v;
    }

    /** Stores an entry; one already stored under this node and id is left as it is. */
    public void add(RegisterEntry e) throws IOException {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO register (node, id, kind, at_us, camera, "
                        + "stream, from_us, to_us, cause, actor, recipient, case_number, segments, bytes, mask_version) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (node, id) DO NOTHING")) {
                    ps.setString(1, node);
                    ps.setString(2, e.id());
                    ps.setString(3, e.kind().name().toLowerCase());
                    ps.setLong(4, Times.micros(e.at()));
                    ps.setString(5, e.cameraId());
                    ps.setString(6, e.stream());
                    ps.setLong(7, Times.micros(e.from()));
                    ps.setLong(8, Times.micros(e.to()));
                    ps.setString(9, e.cause());
                    ps.setString(10, e.actor());
                    ps.setString(11, e.recipient());
                    ps.setString(12, e.caseNumber());
                    ps.setLong(13, e.segments());
                    ps.setLong(14, e.bytes());
                    if (e.maskVersion() == null) ps.setNull(15, java.sql.Types.BIGINT);
                    else ps.setLong(15, e.maskVersion());
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (SQLException ex) {
            throw new IOException("register of recordings: " + ex.getMessage(), ex);
        }
    }

    @Override
    public List<RegisterEntry> query(Instant from, Instant to, String cameraId, RegisterEntry.Kind kind, int limit)
            throws IOException {
        StringBuilder sql = new StringBuilder("SELECT * FROM register WHERE at_us >= ? AND at_us < ?");
        List<Object> args = new ArrayList<>(List.of(Times.micros(from), Times.micros(to)));
        if (cameraId != null) {
            sql.append(" AND camera = ?");
            args.add(cameraId);
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind.name().toLowerCase());
        }
        sql.append(" ORDER BY at_us, id, node LIMIT ?");
        args.add(limit);
        try {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                    List<RegisterEntry> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new RegisterEntry(rs.getString("id"),
                                    RegisterEntry.Kind.valueOf(rs.getString("kind").toUpperCase()),
                                    Times.instant(rs.getLong("at_us")), rs.getString("camera"),
                                    rs.getString("stream"), Times.instant(rs.getLong("from_us")),
                                    Times.instant(rs.getLong("to_us")), rs.getString("cause"), rs.getString("actor"),
                                    rs.getString("recipient"), rs.getString("case_number"), rs.getLong("segments"),
                                    rs.getLong("bytes"), maskVersion(rs)));
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException ex) {
            throw new IOException("register of recordings: " + ex.getMessage(), ex);
        }
    }
}
