package org.vigie.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.vigie.base.InstantBounds;
import org.vigie.recorder.retention.HoldRegistry;
import org.vigie.recorder.retention.LegalHold;

/**
 * The legal holds in the store: every node of a cluster reads the same table at each call (nothing is cached), so
 * a hold created on one node protects the footage of every node from the next retention sweep on. Holds are
 * numbered H000001, H000002... across the cluster (numbering takes {@link Database.Lock#HOLDS}); a change is
 * committed when the call returns.
 *
 * <p>{@link HoldRegistry#all()} and {@code get} cannot throw a checked exception: a database failure there is an
 * {@link UncheckedIOException}, which stops a retention sweep before it destroys anything.
 */
public final class HoldStore implements HoldRegistry {

    private final Database db;
    private final InstantSource clock;

    public HoldStore(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public List<LegalHold> all() {
        return select("SELECT * FROM legal_holds ORDER BY number");
    }

    @Override
    public List<LegalHold> active(Instant now) {
        long t = Times.micros(now);
        return select("SELECT * FROM legal_holds WHERE expires_us > ? AND (release_effective_us IS NULL "
                + "OR release_effective_us > ?) ORDER BY number", t, t);
    }

    @Override
    public Optional<LegalHold> get(String id) {
        try {
            return db.read(c -> find(c, id));
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("legal holds: " + e.getMessage(), e));
        }
    }

    private List<LegalHold> select(String sql, long... args) {
        try {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) ps.setLong(i + 1, args[i]);
                    List<LegalHold> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.add(row(rs));
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("legal holds: " + e.getMessage(), e));
        }
    }

    @Override
    public LegalHold create(String cameraId, Instant fromTime, Instant toTime, String caseNumber, String reason,
                            Instant expiry, String createdBy) throws IOException {
        for (Instant t : new Instant[] {fromTime, toTime, expiry}) {
            InstantBounds.check(t);
        }
        Instant now = Times.truncate(clock.instant());
        Instant from = Times.truncate(fromTime);
        Instant to = Times.truncate(toTime);
        Instant expires = Times.truncate(expiry);
        if (!expires.isAfter(now)) {
            throw new IllegalArgumentException("hold expiry must be in the future: " + expires);
        }
        new LegalHold("H0", cameraId, from, to, caseNumber, reason, expires, createdBy, now, null, null, null); // validates
        return write(c -> {
            db.lock(c, Database.Lock.HOLDS);
            long number;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number), 0) FROM legal_holds");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getLong(1) + 1;
            }
            LegalHold h = new LegalHold(String.format("H%06d", number), cameraId, from, to, caseNumber, reason,
                    expires, createdBy, now, null, null, null);
            insert(c, number, h);
            return h;
        });
    }

    @Override
    public LegalHold extend(String id, Instant newExpiry, String by) throws IOException {
        requireText("by", by);
        return write(c -> {
            db.lock(c, Database.Lock.HOLDS);
            LegalHold h = activeHold(c, id);
            if (h.released()) {
                throw new IllegalStateException("legal hold " + id + " was released (effective "
                        + h.releaseEffective() + "): create a new hold instead");
            }
            if (!newExpiry.isAfter(h.expires())) {
                throw new IllegalArgumentException("an extension moves the expiry later than " + h.expires());
            }
            InstantBounds.check(newExpiry);
            try (PreparedStatement ps = c.prepareStatement("UPDATE legal_holds SET expires_us = ? WHERE id = ?")) {
                ps.setLong(1, Times.micros(Times.truncate(newExpiry)));
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return find(c, id).orElseThrow();
        });
    }

    @Override
    public LegalHold release(String id, String by, Duration grace) throws IOException {
        requireText("by", by);
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative release grace: " + grace);
        }
        Instant now = Times.truncate(clock.instant());
        return write(c -> {
            db.lock(c, Database.Lock.HOLDS);
            LegalHold h = activeHold(c, id);
            if (h.released()) {
                throw new IllegalStateException("legal hold " + id + " is already released (effective "
                        + h.releaseEffective() + ")");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE legal_holds SET released_us = ?, released_by = ?, "
                    + "release_effective_us = ? WHERE id = ?")) {
                ps.setLong(1, Times.micros(now));
                ps.setString(2, by);
                ps.setLong(3, Times.micros(now.plus(grace)));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return find(c, id).orElseThrow();
        });
    }

    /**
     * Copies the holds of an earlier version's journal (kept on the first volume) into an empty table, with their
     * ids, so that no hold is lost by the upgrade. Returns how many were copied (0 when the table has holds).
     */
    public int importHolds(List<LegalHold> journal) throws IOException {
        if (journal.isEmpty()) return 0;
        return write(c -> {
            db.lock(c, Database.Lock.HOLDS);
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM legal_holds");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) return 0;
            }
            long next = 1;
            for (LegalHold journalHold : journal) {
                LegalHold h = withinBounds(journalHold);
                long number = h.id().matches("H\\d{1,18}") ? Long.parseLong(h.id().substring(1)) : next;
                insert(c, number, h);
                next = Math.max(next, number + 1);
            }
            return journal.size();
        });
    }

    /**
     * A journal's hold with its dates brought within {@link InstantBounds} (an earlier version accepted any date; the
     * store keeps microseconds, which overflow far beyond): a start before 1970 becomes 1970, an end or expiry after
     * the bounds becomes their end, so the hold protects at least what it did.
     */
    private static LegalHold withinBounds(LegalHold h) {
        if (InstantBounds.contains(h.from()) && InstantBounds.contains(h.to()) && InstantBounds.contains(h.expires())
                && InstantBounds.contains(h.createdAt())
                && (h.releaseEffective() == null || InstantBounds.contains(h.releaseEffective()))) {
            return h;
        }
        return new LegalHold(h.id(), h.cameraId(), clamp(h.from()), clamp(h.to()), h.caseNumber(), h.reason(),
                clamp(h.expires()), h.createdBy(), clamp(h.createdAt()), h.releasedAt() == null ? null
                : clamp(h.releasedAt()), h.releasedBy(), h.releaseEffective() == null ? null
                : clamp(h.releaseEffective()));
    }

    private static Instant clamp(Instant t) {
        return t.isBefore(InstantBounds.MIN) ? InstantBounds.MIN : t.isAfter(InstantBounds.MAX) ? InstantBounds.MAX : t;
    }

    private static void insert(Connection c, long number, LegalHold h) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO legal_holds (number, id, camera, from_us, to_us, "
                + "case_number, reason, expires_us, created_by, created_us, released_us, released_by, release_effective_us) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, number);
            ps.setString(2, h.id());
            ps.setString(3, h.cameraId());
            ps.setLong(4, Times.micros(h.from()));
            ps.setLong(5, Times.micros(h.to()));
            ps.setString(6, h.caseNumber());
            ps.setString(7, h.reason());
            ps.setLong(8, Times.micros(h.expires()));
            ps.setString(9, h.createdBy());
            ps.setLong(10, Times.micros(h.createdAt()));
            if (h.releasedAt() != null) ps.setLong(11, Times.micros(h.releasedAt())); else ps.setNull(11, Types.BIGINT);
            ps.setString(12, h.releasedBy());
            if (h.releaseEffective() != null) {
                ps.setLong(13, Times.micros(h.releaseEffective()));
            } else {
                ps.setNull(13, Types.BIGINT);
            }
            ps.executeUpdate();
        }
    }

    private LegalHold activeHold(Connection c, String id) throws SQLException {
        LegalHold h = find(c, id).orElseThrow(() -> new NoSuchElementException("no legal hold " + id));
        if (!h.active(clock.instant())) {
            throw new IllegalStateException("legal hold " + id + " is no longer active");
        }
        return h;
    }

    private static Optional<LegalHold> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM legal_holds WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static LegalHold row(ResultSet rs) throws SQLException {
        long released = rs.getLong("released_us");
        boolean isReleased = !rs.wasNull();
        long effective = rs.getLong("release_effective_us");
        boolean hasEffective = !rs.wasNull();
        return new LegalHold(rs.getString("id"), rs.getString("camera"), Times.instant(rs.getLong("from_us")),
                Times.instant(rs.getLong("to_us")), rs.getString("case_number"), rs.getString("reason"),
                Times.instant(rs.getLong("expires_us")), rs.getString("created_by"),
                Times.instant(rs.getLong("created_us")), isReleased ? Times.instant(released) : null,
                rs.getString("released_by"), hasEffective ? Times.instant(effective) : null);
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank() || value.length() > 128) {
            throw new IllegalArgumentException(what + " must be 1-128 characters");
        }
    }

    private <T> T write(Database.Work<T> work) throws IOException {
        try {
            return db.write(work);
        } catch (SQLException e) {
            throw new IOException("legal holds: " + e.getMessage(), e);
        }
    }
}
